import { createOptionChecks } from '@metarec/runtime';

/**
 * Failure codes of `@metarec/feature-store`. Stable strings: callers branch on them.
 *
 * - `FS_OPTIONS_INVALID`: an options object is invalid (thrown before any I/O).
 * - `FS_PATH_INVALID`: a topic, date or file name does not fit the offline layout.
 * - `FS_WRITE_FAILED`: an offline file could not be written durably.
 * - `FS_READ_FAILED`: an offline file could not be listed, opened or decoded.
 * - `FS_REDIS_FAILED`: a Redis command or script of the online store failed.
 * - `FS_STATE_INVALID`: a call the object's state does not allow (e.g. use after `close`).
 */
export type FeatureStoreErrorCode =
  | 'FS_OPTIONS_INVALID'
  | 'FS_PATH_INVALID'
  | 'FS_WRITE_FAILED'
  | 'FS_READ_FAILED'
  | 'FS_REDIS_FAILED'
  | 'FS_STATE_INVALID';

/** Every error thrown by `@metarec/feature-store`; branch on `code`. */
export class FeatureStoreError extends Error {
  override readonly name = 'FeatureStoreError';
  readonly code: FeatureStoreErrorCode;

  constructor(code: FeatureStoreErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
  }
}

/** An invalid option, named. */
export function invalidOption(option: string, reason: string): FeatureStoreError {
  return new FeatureStoreError('FS_OPTIONS_INVALID', `invalid option ${option}: ${reason}`);
}

/** Option checks throwing `FS_OPTIONS_INVALID`; see `createOptionChecks`. */
export const { requireInt } = createOptionChecks(invalidOption);
