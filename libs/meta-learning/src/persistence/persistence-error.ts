/**
 * Failure codes of `persistence/`: `ML_PERSIST_` for the directory (files, checksums, manifest),
 * `ML_BUNDLE_` for the model contract in it (`config.json`, see `parseModelContract`).
 */
export type PersistenceErrorCode =
  | 'ML_PERSIST_EXISTS'
  | 'ML_PERSIST_FILE_MISSING'
  | 'ML_PERSIST_CHECKSUM_MISMATCH'
  | 'ML_PERSIST_SIZE_MISMATCH'
  | 'ML_PERSIST_FORMAT_UNKNOWN'
  | 'ML_PERSIST_MANIFEST_INVALID'
  | 'ML_PERSIST_NOT_JSON'
  | 'ML_PERSIST_IO'
  | 'ML_BUNDLE_FORMAT_UNSUPPORTED'
  | 'ML_BUNDLE_FIELD_INVALID';

/** The error saving or loading a model directory throws; `details.file` names the file at fault, `details.field` the field in it. */
export class PersistenceError extends Error {
  override readonly name = 'PersistenceError';
  readonly code: PersistenceErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: PersistenceErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.details = details;
  }
}
