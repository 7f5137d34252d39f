/** A topic and one of its partitions. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A topic and some (or, when `partitions` is absent, all) of its partitions. */
export interface TopicPartitions {
  readonly topic: string;
  readonly partitions?: readonly number[];
}

/** One message as read from Kafka. Nothing is parsed: the payload is `unknown` bytes until a schema checks it. */
export interface ConsumedMessage {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offsets are int64. */
  readonly offset: bigint;
  /** The key decoded as UTF-8 (metarec keys are ids), or `null`. */
  readonly key: string | null;
  readonly value: Buffer | null;
  /** Header values decoded as UTF-8; for a repeated header the last value wins. */
  readonly headers: Readonly<Record<string, string>>;
  /** The record's timestamp, ms since the epoch. */
  readonly timestampMs: number;
}

/** Consecutive messages of one partition. */
export interface MessageBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly ConsumedMessage[];
  /** The partition's end offset when fetched; `highWatermark - lastOffset - 1` is the lag. */
  readonly highWatermark: bigint;
}

/** Lets a long handler keep its group membership. */
export interface BatchContext {
  /** Sends a heartbeat if one is due; call it inside long loops. */
  heartbeat(): Promise<void>;
  /** True once a rebalance took this partition away (or a seek moved it); the batch is then not committed. */
  isStale(): boolean;
}

/**
 * Handles one batch. Resolve only once the batch's effects are durable (written to the store,
 * enqueued): the consumer then commits the offset after the batch's last message. Throwing leaves
 * the batch uncommitted and it is delivered again: at-least-once, so handlers must be idempotent.
 */
export type BatchHandler = (batch: MessageBatch, context: BatchContext) => Promise<void>;

/** Consumes topics as a member of a consumer group, committing after each handled batch. */
export interface EventConsumer {
  /**
   * Adds topics to the subscription; call before `run`. Without a committed offset the group starts
   * at the beginning when `fromBeginning` (default true), else at the end.
   * @throws StreamingError `STREAM_STATE_INVALID` once running, `STREAM_CONNECT_FAILED`.
   */
  subscribe(topics: readonly string[], options?: { readonly fromBeginning?: boolean }): Promise<void>;
  /**
   * Starts consuming in the background and resolves once started; `handler` gets each batch.
   * @throws StreamingError `STREAM_STATE_INVALID` when already running, closed, or nothing is subscribed.
   */
  run(handler: BatchHandler): Promise<void>;
  /** Stops fetching the given partitions (back-pressure) until `resume`; the group keeps them assigned. */
  pause(partitions: readonly TopicPartitions[]): void;
  /** Resumes partitions paused with `pause`. */
  resume(partitions: readonly TopicPartitions[]): void;
  /** Partitions assigned to this member now (empty before the first join). */
  assignment(): readonly TopicPartition[];
  /**
   * Stops intake, lets the in-flight batch finish and commit, leaves the group and disconnects.
   * Reports the remaining assignment as revoked. Safe to call twice.
   */
  close(): Promise<void>;
}
