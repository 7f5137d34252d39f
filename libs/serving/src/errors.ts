import { createOptionChecks } from '@metarec/runtime';

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
  | 'SERVING_CLOSED'
  /** Feedback without a token (or with feedback auth not configured). */
  | 'SERVING_AUTH_MISSING'
  /** A token that is not valid, expired, or not for the event's user. */
  | 'SERVING_AUTH_INVALID'
  /** A caller over its feedback rate; retry after `details.retryAfterMs`. */
  | 'SERVING_RATE_LIMITED'
  /** A path segment beyond the router's limit (answered before routing). */
  | 'SERVING_URI_TOO_LONG'
  /** Headers beyond Node's limit (answered by the HTTP parser). */
  | 'SERVING_HEADERS_TOO_LARGE';

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

/** Option checks throwing `SERVING_OPTIONS_INVALID` (field = the option); see `createOptionChecks`. */
export const { requireInt, requireNumber } = createOptionChecks(invalidOption);

/** Text of an unknown thrown value, for logged reasons. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
