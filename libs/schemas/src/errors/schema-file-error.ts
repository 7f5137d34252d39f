import { SchemaError } from './schema-error.js';

/** Codes for problems with an Arrow table or IPC file as a whole. */
export type SchemaFileErrorCode =
  | 'SCHEMA_IPC_INVALID'
  | 'SCHEMA_FINGERPRINT_MISSING'
  | 'SCHEMA_FINGERPRINT_MISMATCH'
  | 'SCHEMA_VERSION_UNKNOWN'
  | 'SCHEMA_INCOMPATIBLE'
  | 'SCHEMA_COLUMN_MISSING'
  | 'SCHEMA_COLUMN_TYPE';

/**
 * An Arrow table or IPC payload cannot be read (or written) as the expected schema: unreadable
 * bytes, a missing or unknown fingerprint, an incompatible version, or a column of the wrong type.
 * `field` names the column when one is at fault.
 */
export class SchemaFileError extends SchemaError {
  override readonly name = 'SchemaFileError';
  declare readonly code: SchemaFileErrorCode;
  /** The column at fault, if any. */
  readonly field: string | undefined;

  constructor(code: SchemaFileErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(code, message, { cause: options?.cause });
    this.field = options?.field;
  }
}
