import type { BaseOptions } from '@platformatic/kafka';

import type { ResolvedClientOptions } from '../client-options.js';
import { StreamingError, wrapClientError, type StreamingErrorCode } from '../errors.js';

/** Our client options as `@platformatic/kafka`'s base options (shared by producer, consumer, admin). */
export function platformaticBaseOptions(options: ResolvedClientOptions): BaseOptions {
  return {
    clientId: options.clientId,
    bootstrapBrokers: [...options.brokers],
    connectTimeout: options.connectionTimeoutMs,
    timeout: options.requestTimeoutMs,
    retries: options.retries,
    // Exponential backoff as with the other clients, capped at maxRetryTimeMs.
    retryDelay: (_client, _operation, attempt) => Math.min(options.initialRetryTimeMs * 2 ** Math.max(0, attempt - 1), options.maxRetryTimeMs),
    autocreateTopics: false,
  };
}

/** `wrapClientError`, reading `@platformatic/kafka`'s `canRetry` as our `retriable`. */
export function wrapPlatformaticError(code: StreamingErrorCode, context: string, cause: unknown): StreamingError {
  const wrapped = wrapClientError(code, context, cause);
  const canRetry = typeof cause === 'object' && cause !== null && (cause as { canRetry?: unknown }).canRetry === true;
  return canRetry && !wrapped.retriable ? new StreamingError(code, wrapped.message, { cause, retriable: true }) : wrapped;
}
