/**
 * One Kafka message as the ingest pipeline sees it. Structurally the `ConsumedMessage` of
 * `@metarec/streaming`, declared here because the feature store sits beside streaming, not above it.
 */
export interface IngestMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
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
