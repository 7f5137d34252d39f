import type { BaseOptions } from '@platformatic/kafka';

import type { ResolvedClientOptions } from '../client-options.js';
import { StreamingError, type StreamingErrorCode } from '../errors.js';

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

/**
 * The library's message with the messages of the errors it aggregates (the broker's reason, e.g.
 * "larger than the max message size", sits two levels down), deduplicated.
 */
export function describePlatformaticError(error: unknown): string {
  const messages: string[] = [];
  const visit = (entry: unknown): void => {
    const message = entry instanceof Error ? entry.message : String(entry);
    if (!messages.includes(message)) {
      messages.push(message);
    }
    if (entry instanceof AggregateError) {
      entry.errors.forEach(visit);
    }
  };
  visit(error);
  return messages.join(': ');
}

/** `wrapClientError` with the aggregated reasons in the message and the library's `canRetry` as `retriable`. */
export function wrapPlatformaticError(code: StreamingErrorCode, context: string, cause: unknown): StreamingError {
  if (cause instanceof StreamingError) {
    return cause;
  }
  const canRetry = typeof cause === 'object' && cause !== null && (cause as { canRetry?: unknown }).canRetry === true;
  return new StreamingError(code, `${context}: ${describePlatformaticError(cause)}`, { cause, retriable: canRetry });
}
