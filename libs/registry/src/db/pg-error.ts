import { RegistryError } from '../errors.js';

/** SQLSTATEs the registry's SQL can raise on purpose, or that mean a constraint did its job. */
const SQLSTATE_TO_CODE = {
  // Raised by the registry_versions_immutable trigger.
  RG001: 'REG_VERSION_IMMUTABLE',
  // Raised by the registry_alias_events_append_only trigger.
  RG002: 'REG_VERSION_IMMUTABLE',
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

function sqlState(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

/**
 * The one place SQL failures become registry errors (STYLE.md: numeric codes become errors in
 * one function). Unknown failures become `REG_INTERNAL` with the pg error as cause.
 */
export function toRegistryError(error: unknown, query: string): RegistryError {
  if (error instanceof RegistryError) {
    return error;
  }
  const state = sqlState(error);
  const message = error instanceof Error ? error.message : String(error);
  if (state !== undefined && state in SQLSTATE_TO_CODE) {
    return new RegistryError(SQLSTATE_TO_CODE[state as keyof typeof SQLSTATE_TO_CODE], `${query}: ${message}`, { cause: error, details: { sqlState: state } });
  }
  return new RegistryError('REG_INTERNAL', `${query} failed: ${message}`, { cause: error, details: state === undefined ? {} : { sqlState: state } });
}
