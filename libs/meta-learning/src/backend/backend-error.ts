/** Failure codes of `backend/` (backend selection and kernel registration), prefixed `ML_` like the rest of the lib. */
export type BackendErrorCode = 'ML_BACKEND_UNAVAILABLE' | 'ML_BACKEND_UNKNOWN' | 'ML_BACKEND_KERNEL_INPUT_INVALID';

/**
 * The error `backend/` throws. Kept beside the code it belongs to (the lib's `errors.ts` is the
 * model's); branch on `code`, read `details` for the offending field.
 */
export class BackendError extends Error {
  override readonly name = 'BackendError';
  readonly code: BackendErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: BackendErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.details = details;
  }
}
