/** Codes of {@link ServingError}; apps map them to HTTP statuses in one table. */
export type ServingErrorCode =
  /** An option failed validation before any I/O (field = the option). */
  | 'SERVING_OPTIONS_INVALID'
  /** A request value is invalid (field = the offending field). */
  | 'SERVING_INPUT_INVALID'
  /** No model is loaded yet (the pod is not ready). */
  | 'SERVING_NOT_READY'
  /** A bundle could not be fetched, verified or loaded; the previous model keeps serving. */
  | 'SERVING_BUNDLE_REFUSED'
  /** Feedback could not be made durable (Kafka send failed); the client should retry. */
  | 'SERVING_FEEDBACK_UNAVAILABLE'
  /** The service is closing and takes no new work. */
  | 'SERVING_CLOSED';

/** Options of {@link ServingError}. */
export interface ServingErrorOptions {
  /** The option, request field or bundle file at fault. */
  readonly field?: string;
  readonly cause?: unknown;
  /** Structured details (e.g. every field issue of a rejected feedback event). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Every error thrown by `@metarec/serving`. */
export class ServingError extends Error {
  override readonly name = 'ServingError';
  readonly code: ServingErrorCode;
  readonly field: string | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ServingErrorCode, message: string, options: ServingErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.details = options.details ?? {};
  }
}

/** A `SERVING_OPTIONS_INVALID` error naming the option. */
export function invalidOption(field: string, why: string): ServingError {
  return new ServingError('SERVING_OPTIONS_INVALID', `${field} ${why}`, { field });
}

/** Throws `SERVING_OPTIONS_INVALID` unless `value` is an integer within [min, max]. */
export function requireInt(field: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalidOption(field, `must be an integer in [${min}, ${max}], got ${value}`);
  }
}

/** Throws `SERVING_OPTIONS_INVALID` unless `value` is a finite number >= min. */
export function requireNumber(field: string, value: number, min: number): void {
  if (!Number.isFinite(value) || value < min) {
    throw invalidOption(field, `must be a finite number >= ${min}, got ${value}`);
  }
}

/** Text of an unknown thrown value, for logged reasons. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
