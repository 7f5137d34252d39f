import type { DeadLetterSource } from '@metarec/schemas';

/**
 * One Kafka message as the ingest pipeline sees it: the wire contract's consumed-message shape plus
 * its timestamp. Structurally the `ConsumedMessage` of `@metarec/streaming`, declared from schemas'
 * port because the feature store sits beside streaming, not above it.
 */
export interface IngestMessage extends DeadLetterSource {
  /** Broker or producer timestamp, epoch ms. */
  readonly timestampMs: number;
}

/** Consecutive messages of one topic-partition (structurally streaming's `MessageBatch`). */
export interface IngestBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly IngestMessage[];
  /** Log-end offset when fetched; the lag after the batch is `highWatermark - lastOffset - 1`. */
  readonly highWatermark: bigint;
}
