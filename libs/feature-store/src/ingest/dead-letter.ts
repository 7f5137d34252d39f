import type { DeadLetterRecord } from '@metarec/schemas';

/**
 * Where dead letters go (the app sends them to the dead-letter topic). Resolve once durable.
 * The record format (original bytes plus `dlq-*` headers) is the wire contract's, in `@metarec/schemas`.
 */
export interface DeadLetterSink {
  send(records: readonly DeadLetterRecord[]): Promise<void>;
}
