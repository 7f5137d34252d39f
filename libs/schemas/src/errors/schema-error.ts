/**
 * Every failure code `@metarec/schemas` can raise. Consumers branch on these (dead-letter
 * reasons in ingest, 400 bodies in HTTP apps), so they are stable strings, never reworded.
 *
 * Record validation: `SCHEMA_RECORD_TYPE` (not a plain object), `SCHEMA_FIELD_MISSING`,
 * `SCHEMA_FIELD_TYPE`, `SCHEMA_FIELD_RANGE`, `SCHEMA_UNKNOWN_FIELD`.
 * Files and tables: `SCHEMA_IPC_INVALID`, `SCHEMA_FINGERPRINT_MISSING`,
 * `SCHEMA_FINGERPRINT_MISMATCH`, `SCHEMA_VERSION_UNKNOWN`, `SCHEMA_INCOMPATIBLE`,
 * `SCHEMA_COLUMN_MISSING`, `SCHEMA_COLUMN_TYPE`.
 * Definitions and caller bugs: `SCHEMA_DEFINITION_INVALID`, `SCHEMA_OPTIONS_INVALID`.
 */
export type SchemaErrorCode =
  | 'SCHEMA_RECORD_TYPE'
  | 'SCHEMA_FIELD_MISSING'
  | 'SCHEMA_FIELD_TYPE'
  | 'SCHEMA_FIELD_RANGE'
  | 'SCHEMA_UNKNOWN_FIELD'
  | 'SCHEMA_IPC_INVALID'
  | 'SCHEMA_FINGERPRINT_MISSING'
  | 'SCHEMA_FINGERPRINT_MISMATCH'
  | 'SCHEMA_VERSION_UNKNOWN'
  | 'SCHEMA_INCOMPATIBLE'
  | 'SCHEMA_COLUMN_MISSING'
  | 'SCHEMA_COLUMN_TYPE'
  | 'SCHEMA_DEFINITION_INVALID'
  | 'SCHEMA_OPTIONS_INVALID';

/** Base class of every error thrown by `@metarec/schemas`; branch on `code`, not on the message. */
export class SchemaError extends Error {
  override readonly name: string = 'SchemaError';
  readonly code: SchemaErrorCode;

  constructor(code: SchemaErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
