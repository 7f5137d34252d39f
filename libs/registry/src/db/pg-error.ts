import { RegistryError } from '../errors.js';

/** SQLSTATEs the registry's SQL can raise on purpose, or that mean a constraint did its job. */
const SQLSTATE_TO_CODE = {
  // Raised by the registry_versions_immutable trigger.
  RG001: 'REG_VERSION_IMMUTABLE',
  // Raised by the registry_alias_events_append_only trigger.
  RG002: 'REG_VERSION_IMMUTABLE',
  // Raised by the run triggers (frozen parameters, immutable artifacts).
  RG003: 'REG_RUN_CONFLICT',
  // unique_violation: a concurrent writer took the same key first.
  '23505': 'REG_VERSION_IMMUTABLE',
  // foreign_key_violation: an alias pointing at a version that does not exist.
  '23503': 'REG_VERSION_NOT_FOUND',
  // Backstop for input the edge checks (contract schemas, text-rules.ts) should have refused:
  // numeric_value_out_of_range, character_not_in_repertoire (U+0000 in text), untranslatable
  // character (U+0000 in jsonb). Bad input stays a 4xx even if a new field forgets its check.
  '22003': 'REG_INVALID_INPUT',
  '22021': 'REG_INVALID_INPUT',
  '22P05': 'REG_INVALID_INPUT',
} as const;

/**
 * Failures that mean the database cannot be reached, not that the query is wrong: socket errors,
 * SQLSTATE class 08 (connection exception), 57P01-57P03 (shutdown, cannot connect now), 53300 (too
 * many connections), and pg's own messages for a dropped connection or a connect timeout.
 */
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_MESSAGES = [/^Connection terminated/, /timeout exceeded when trying to connect/, /Client has encountered a connection error/];

function isUnavailable(error: unknown, state: string | undefined): boolean {
  if (state !== undefined && (UNAVAILABLE_ERRNO.has(state) || UNAVAILABLE_STATES.has(state) || state.startsWith('08'))) {
    return true;
  }
  if (error instanceof AggregateError) {
    return error.errors.some((inner) => isUnavailable(inner, sqlState(inner)));
  }
  return error instanceof Error && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message));
}

function sqlState(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

/**
 * The one place SQL failures become registry errors (STYLE.md: numeric codes become errors in
 * one function). An unreachable database is `REG_UNAVAILABLE`; unknown failures become
 * `REG_INTERNAL` with the pg error as cause.
 */
export function toRegistryError(error: unknown, query: string): RegistryError {
  if (error instanceof RegistryError) {
    return error;
  }
  const state = sqlState(error);
  if (isUnavailable(error, state)) {
    // The message stays generic: the cause (host, port, socket error) is for the server's log only.
    return new RegistryError('REG_UNAVAILABLE', 'the registry database is unavailable; retry later', { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (state !== undefined && state in SQLSTATE_TO_CODE) {
    return new RegistryError(SQLSTATE_TO_CODE[state as keyof typeof SQLSTATE_TO_CODE], `${query}: ${message}`, { cause: error, details: { sqlState: state } });
  }
  return new RegistryError('REG_INTERNAL', `${query} failed: ${message}`, { cause: error, details: state === undefined ? {} : { sqlState: state } });
}
