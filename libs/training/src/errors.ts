/**
 * Failure codes of `@metarec/training` (stable strings; apps and the shard worker branch on them).
 *
 * - `TRAIN_SPEC_INVALID`: a run spec failed its schema (the field is named).
 * - `TRAIN_OPTIONS_INVALID`: an options object passed to a training class is invalid.
 * - `TRAIN_PAYLOAD_INVALID`: a job payload or return value failed its schema.
 * - `TRAIN_PAYLOAD_TOO_LARGE`: a job payload or return value exceeds the JSON cap.
 * - `TRAIN_REDIS_POLICY`: Redis does not run with `maxmemory-policy noeviction`.
 * - `TRAIN_BLOB_MISSING`: a parameter/gradient blob is absent (expired or lost with a Redis restart).
 * - `TRAIN_BLOB_CORRUPT`: a blob's header or checksum is wrong.
 * - `TRAIN_DATA_EMPTY`: the data version yields no (or too few) tasks.
 * - `TRAIN_DATA_VERSION_MISMATCH`: a worker built a different data version than the run recorded.
 * - `TRAIN_SHARD_FAILED`: a shard job failed after its attempts; the run fails with its reason.
 * - `TRAIN_CHECKPOINT_CORRUPT`: a checkpoint's files do not match their checksums.
 * - `TRAIN_COMPUTE_FAILED`: the compute thread died or reported an error.
 * - `TRAIN_RUN_NOT_FOUND`: no status is stored for the run id.
 * - `TRAIN_CLOSED`: the object was closed.
 * - `TRAIN_RUN_LEASED`: another coordinator holds the run id's lease, or this one lost it.
 * - `TRAIN_TUNE_EXISTS`: a search of this spec has state already (resume it, or change the spec).
 */
export type TrainingErrorCode =
  | 'TRAIN_SPEC_INVALID'
  | 'TRAIN_RUN_LEASED'
  | 'TRAIN_OPTIONS_INVALID'
  | 'TRAIN_PAYLOAD_INVALID'
  | 'TRAIN_PAYLOAD_TOO_LARGE'
  | 'TRAIN_REDIS_POLICY'
  | 'TRAIN_BLOB_MISSING'
  | 'TRAIN_BLOB_CORRUPT'
  | 'TRAIN_DATA_EMPTY'
  | 'TRAIN_DATA_VERSION_MISMATCH'
  | 'TRAIN_SHARD_FAILED'
  | 'TRAIN_CHECKPOINT_CORRUPT'
  | 'TRAIN_COMPUTE_FAILED'
  | 'TRAIN_RUN_NOT_FOUND'
  | 'TRAIN_CLOSED'
  | 'TRAIN_TUNE_EXISTS';

/**
 * Codes that retrying a shard job cannot fix (the same input fails the same way), so the shard
 * processor turns them into BullMQ's `UnrecoverableError` and a poison job fails once.
 * Missing blobs are not here: the coordinator republishes them.
 */
export const UNRECOVERABLE_CODES: ReadonlySet<string> = new Set([
  'TRAIN_SPEC_INVALID',
  'TRAIN_PAYLOAD_INVALID',
  'TRAIN_PAYLOAD_TOO_LARGE',
  'TRAIN_BLOB_CORRUPT',
  'TRAIN_DATA_VERSION_MISMATCH',
  'TRAIN_DATA_EMPTY',
  'ML_CONFIG_INVALID',
  'ML_ROWS_INVALID',
  'ML_SIZE_MISMATCH',
  'ML_TASKS_EMPTY',
]);

/** The one error class of `@metarec/training`; branch on `code`, read `details` for the field. */
export class TrainingError extends Error {
  override readonly name = 'TrainingError';
  readonly code: TrainingErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: TrainingErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.details = details;
  }
}

/** The `code` of any error carrying one (ours, meta-learning's, feature-store's), else undefined. */
export function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
