/** Failure codes of `runtime/` (backend selection and kernel registration), prefixed `ML_` like the rest of the lib. */
export type RuntimeErrorCode = 'ML_BACKEND_UNAVAILABLE' | 'ML_BACKEND_UNKNOWN' | 'ML_KERNEL_INPUT_INVALID';

/**
 * The error `runtime/` throws. Kept beside the code it belongs to (the lib's `errors.ts` is the
 * model's); branch on `code`, read `details` for the offending field.
 */
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  readonly code: RuntimeErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: RuntimeErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.details = details;
  }
}
