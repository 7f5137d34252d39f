import { createOptionChecks } from '@metarec/runtime';

/**
 * Failure codes of `@metarec/streaming`. Stable strings: callers branch on them.
 *
 * - `STREAM_OPTIONS_INVALID`: an options object is invalid (thrown before any I/O).
 * - `STREAM_CONNECT_FAILED`: a producer, consumer or admin could not reach the brokers.
 * - `STREAM_SEND_FAILED`: the broker did not acknowledge a send.
 * - `STREAM_COMMIT_FAILED`: committing offsets after a handled batch failed.
 * - `STREAM_HANDLER_FAILED`: the batch handler threw (the batch is not committed and is redelivered).
 * - `STREAM_CONSUMER_CRASHED`: the consumer gave up after its retries and stopped.
 * - `STREAM_ADMIN_FAILED`: a topic admin request failed.
 * - `STREAM_TOPIC_MISMATCH`: a topic exists with a different partition count than required.
 * - `STREAM_STATE_INVALID`: a call that the object's state does not allow (e.g. `run` twice, use after `close`).
 */
export type StreamingErrorCode =
  | 'STREAM_OPTIONS_INVALID'
  | 'STREAM_CONNECT_FAILED'
  | 'STREAM_SEND_FAILED'
  | 'STREAM_COMMIT_FAILED'
  | 'STREAM_HANDLER_FAILED'
  | 'STREAM_CONSUMER_CRASHED'
  | 'STREAM_ADMIN_FAILED'
  | 'STREAM_TOPIC_MISMATCH'
  | 'STREAM_STATE_INVALID';

/** Every error thrown by `@metarec/streaming`. `retriable` comes from the broker/client when known. */
export class StreamingError extends Error {
  override readonly name = 'StreamingError';
  readonly code: StreamingErrorCode;
  /** True when the underlying client says retrying may succeed (e.g. leader election). */
  readonly retriable: boolean;

  constructor(code: StreamingErrorCode, message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/** Wraps a client failure with our code, keeping the client's error as `cause`. */
export function wrapClientError(code: StreamingErrorCode, context: string, cause: unknown): StreamingError {
  if (cause instanceof StreamingError) {
    return cause;
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  const retriable = typeof cause === 'object' && cause !== null && (cause as { retriable?: unknown }).retriable === true;
  return new StreamingError(code, `${context}: ${message}`, { cause, retriable });
}

/** An invalid option, named. */
export function invalidOption(option: string, reason: string): StreamingError {
  return new StreamingError('STREAM_OPTIONS_INVALID', `invalid option ${option}: ${reason}`);
}

/** Option checks throwing `STREAM_OPTIONS_INVALID`; see `createOptionChecks`. */
export const { requireInt, requireNonBlank } = createOptionChecks(invalidOption);
