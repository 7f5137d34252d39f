// Exactly-once sinks that buffer across batches need to commit offsets themselves, after their
// own flush, and never for a partition they lost. Each adapter implements it in its consumer's
// `manual` commit mode; obtain one with `KafkaClient.createManualCommitConsumer`.
import type { BatchHandler, TopicPartition, TopicPartitions } from './event-consumer.js';

/** The offset to resume a partition from (the next one to read), as committed to the group. */
export interface CommitOffset extends TopicPartition {
  readonly offset: bigint;
}

/**
 * A consumer-group member whose handler's resolution only advances the fetch position: nothing
 * is committed until the caller calls `commit` (e.g. after its own durable flush). Commits for
 * partitions no longer assigned are dropped, never sent (a client could send them with the new
 * generation and overwrite the new owner's progress).
 */
export interface ManualCommitConsumer {
  /** As `EventConsumer.subscribe`. */
  subscribe(topics: readonly string[], options?: { readonly fromBeginning?: boolean }): Promise<void>;
  /** As `EventConsumer.run`, except that a handled batch is not committed. */
  run(handler: BatchHandler): Promise<void>;
  pause(partitions: readonly TopicPartitions[]): void;
  resume(partitions: readonly TopicPartitions[]): void;
  /** Partitions assigned to this member now. */
  assignment(): readonly TopicPartition[];
  /**
   * Commits the given offsets for the partitions still assigned; resolves with those committed.
   * @throws StreamingError `STREAM_COMMIT_FAILED` (e.g. during a rebalance; `retriable` then true).
   */
  commit(offsets: readonly CommitOffset[]): Promise<readonly CommitOffset[]>;
  /**
   * Stops intake (assigned partitions paused, newly fetched batches left unhandled) and waits for
   * the in-flight handlers; the member stays in the group so the caller can flush and `commit`.
   */
  drain(): Promise<void>;
  /** Drains, leaves the group, disconnects, and reports the assignment as revoked. Safe to call twice. */
  close(): Promise<void>;
}
