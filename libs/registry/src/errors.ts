/**
 * Failure codes of `@metarec/registry`. Stable strings: the registry app maps each to an HTTP
 * status in one table, the client turns an HTTP error body back into a `RegistryError` with the
 * same code, so callers branch on `code` on both sides of the wire.
 *
 * - `REG_INVALID_INPUT`: a request field is invalid (`field` names it).
 * - `REG_INVALID_NAME`: a model, alias or file name breaks the naming rules (`field` names it).
 * - `REG_MANIFEST_INVALID`: a bundle manifest failed its schema.
 * - `REG_MODEL_NOT_FOUND` / `REG_VERSION_NOT_FOUND` / `REG_ALIAS_NOT_FOUND`: unknown name or number.
 * - `REG_ROUTE_NOT_FOUND`: no such HTTP route (server side only).
 * - `REG_MODEL_EXISTS`: a model of that name is already registered.
 * - `REG_VERSION_IMMUTABLE`: a write would change the bytes of an existing version.
 * - `REG_VERSION_ARCHIVED`: an alias may not point to an archived version.
 * - `REG_VERSION_IN_USE`: an aliased version cannot be archived.
 * - `REG_ROLLBACK_NO_PREVIOUS`: the alias has no earlier version to go back to.
 * - `REG_GATE_REFUSED`: the promotion gate refused the candidate (`details` carries the numbers).
 * - `REG_GATE_EVAL_SET_MISMATCH`: candidate and production were evaluated on different held-out users.
 * - `REG_GATE_METRIC_MISSING`: a version lacks the metric the gate compares.
 * - `REG_ARTIFACT_MISSING`: a manifest names a blob the store does not hold.
 * - `REG_ARTIFACT_CORRUPT`: stored bytes no longer match their sha256 (never served).
 * - `REG_VERSION_CORRUPT`: an alias may not point at a version whose files are corrupt or missing (`details.files`).
 * - `REG_CHECKSUM_MISMATCH`: uploaded or exported bytes do not match the declared sha256/size.
 * - `REG_BUNDLE_UNREADABLE`: a bundle's schema fingerprint is not one the loader can read.
 * - `REG_PAYLOAD_TOO_LARGE`: an upload exceeds the configured limit.
 * - `REG_AUTH_MISSING` / `REG_AUTH_INVALID`: no bearer token / a token that matches none.
 * - `REG_MIGRATION_FAILED`: a schema migration failed or an applied one was edited.
 * - `REG_OPTIONS_INVALID`: an options object is invalid (thrown before any I/O).
 * - `REG_HTTP`: the client got an answer it could not interpret (status in `details`).
 * - `REG_UNAVAILABLE`: the database cannot be reached (retry later; the cause stays server side).
 * - `REG_URI_TOO_LONG` / `REG_HEADERS_TOO_LARGE`: a request beyond the server's URL or header limits.
 * - `REG_RUN_NOT_FOUND`: unknown training run id.
 * - `REG_RUN_CONFLICT`: a run id taken with other parameters, an ended run's status changed, or a run artifact path re-logged with other bytes.
 * - `REG_INTERNAL`: anything else (cause attached).
 */
export type RegistryErrorCode =
  | 'REG_INVALID_INPUT'
  | 'REG_INVALID_NAME'
  | 'REG_MANIFEST_INVALID'
  | 'REG_MODEL_NOT_FOUND'
  | 'REG_VERSION_NOT_FOUND'
  | 'REG_ALIAS_NOT_FOUND'
  | 'REG_ROUTE_NOT_FOUND'
  | 'REG_MODEL_EXISTS'
  | 'REG_VERSION_IMMUTABLE'
  | 'REG_VERSION_ARCHIVED'
  | 'REG_VERSION_IN_USE'
  | 'REG_ROLLBACK_NO_PREVIOUS'
  | 'REG_GATE_REFUSED'
  | 'REG_GATE_EVAL_SET_MISMATCH'
  | 'REG_GATE_METRIC_MISSING'
  | 'REG_ARTIFACT_MISSING'
  | 'REG_ARTIFACT_CORRUPT'
  | 'REG_VERSION_CORRUPT'
  | 'REG_CHECKSUM_MISMATCH'
  | 'REG_BUNDLE_UNREADABLE'
  | 'REG_PAYLOAD_TOO_LARGE'
  | 'REG_AUTH_MISSING'
  | 'REG_AUTH_INVALID'
  | 'REG_MIGRATION_FAILED'
  | 'REG_OPTIONS_INVALID'
  | 'REG_HTTP'
  | 'REG_UNAVAILABLE'
  | 'REG_URI_TOO_LONG'
  | 'REG_HEADERS_TOO_LARGE'
  | 'REG_RUN_NOT_FOUND'
  | 'REG_RUN_CONFLICT'
  | 'REG_INTERNAL';

/** Every code, for tables that must cover them all (the app's HTTP status map). */
export const REGISTRY_ERROR_CODES = [
  'REG_INVALID_INPUT',
  'REG_INVALID_NAME',
  'REG_MANIFEST_INVALID',
  'REG_MODEL_NOT_FOUND',
  'REG_VERSION_NOT_FOUND',
  'REG_ALIAS_NOT_FOUND',
  'REG_ROUTE_NOT_FOUND',
  'REG_MODEL_EXISTS',
  'REG_VERSION_IMMUTABLE',
  'REG_VERSION_ARCHIVED',
  'REG_VERSION_IN_USE',
  'REG_ROLLBACK_NO_PREVIOUS',
  'REG_GATE_REFUSED',
  'REG_GATE_EVAL_SET_MISMATCH',
  'REG_GATE_METRIC_MISSING',
  'REG_ARTIFACT_MISSING',
  'REG_ARTIFACT_CORRUPT',
  'REG_VERSION_CORRUPT',
  'REG_CHECKSUM_MISMATCH',
  'REG_BUNDLE_UNREADABLE',
  'REG_PAYLOAD_TOO_LARGE',
  'REG_AUTH_MISSING',
  'REG_AUTH_INVALID',
  'REG_MIGRATION_FAILED',
  'REG_OPTIONS_INVALID',
  'REG_HTTP',
  'REG_UNAVAILABLE',
  'REG_URI_TOO_LONG',
  'REG_HEADERS_TOO_LARGE',
  'REG_RUN_NOT_FOUND',
  'REG_RUN_CONFLICT',
  'REG_INTERNAL',
] as const satisfies readonly RegistryErrorCode[];

/** Extra structured data of a `RegistryError`. */
export interface RegistryErrorOptions {
  /** The offending field (`name`, `version`, `alias`, `files[2].path`, ...). */
  readonly field?: string;
  /** JSON-safe facts for the caller (gate numbers, expected/actual hashes). */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/** The one error class of `@metarec/registry`; branch on `code`, read `field` and `details`. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  readonly code: RegistryErrorCode;
  readonly field: string | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: RegistryErrorCode, message: string, options: RegistryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.details = options.details;
  }
}

/** Type guard for a `RegistryError` with one of `codes` (any code when omitted). */
export function isRegistryError(value: unknown, ...codes: RegistryErrorCode[]): value is RegistryError {
  return value instanceof RegistryError && (codes.length === 0 || codes.includes(value.code));
}
