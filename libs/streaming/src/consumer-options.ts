import type { TopicPartition } from './event-consumer.js';
import type { StreamingError } from './errors.js';
import { invalidOption, requireInt, requireNonBlank } from './errors.js';

/** Options of `KafkaJsClient.createConsumer`. Times in ms, sizes in bytes. */
export interface ConsumerOptions {
  /** Consumer group id; members of one group share the partitions and the committed offsets. */
  readonly groupId: string;
  /** The broker drops a member silent for this long and rebalances. @defaultValue `30_000` */
  readonly sessionTimeoutMs?: number;
  /** Heartbeat interval; under a third of the session timeout. @defaultValue `3_000` */
  readonly heartbeatIntervalMs?: number;
  /** Upper bound of bytes fetched per partition per request. @defaultValue `1_048_576` */
  readonly maxBytesPerPartition?: number;
  /**
   * How long a fetch waits on the broker for new data. 500 ms instead of kafkajs's 5 s keeps the
   * latency of a trickle of events and the time `close()` waits for a pending fetch low.
   * @defaultValue `500`
   */
  readonly maxWaitTimeMs?: number;
  /** Partitions handled concurrently (batches of one partition stay sequential). @defaultValue `1` */
  readonly partitionsConsumedConcurrently?: number;
  /** Called after a join with partitions newly assigned to this member. */
  readonly onPartitionsAssigned?: (partitions: readonly TopicPartition[]) => void;
  /**
   * Called with partitions this member lost: after a rejoin that moved them, and on `close()`.
   * kafkajs has no pre-revoke hook; every handled batch is already committed by then.
   */
  readonly onPartitionsRevoked?: (partitions: readonly TopicPartition[]) => void;
  /** Called when the client crashed; `restarting` false means the consumer has stopped for good. */
  readonly onCrash?: (error: StreamingError, restarting: boolean) => void;
}

/** Defaults laid under `ConsumerOptions`. */
export const DEFAULT_CONSUMER_OPTIONS = {
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  maxBytesPerPartition: 1_048_576,
  maxWaitTimeMs: 500,
  partitionsConsumedConcurrently: 1,
} as const satisfies Required<Pick<ConsumerOptions, TunedOption>>;

type TunedOption = 'sessionTimeoutMs' | 'heartbeatIntervalMs' | 'maxBytesPerPartition' | 'maxWaitTimeMs' | 'partitionsConsumedConcurrently';
/** `ConsumerOptions` with every default applied. */
export type ResolvedConsumerOptions = ConsumerOptions & Required<Pick<ConsumerOptions, TunedOption>>;

/** Throws `STREAM_OPTIONS_INVALID` on a bad consumer option; returns the merged options. */
export function resolveConsumerOptions(options: ConsumerOptions): ResolvedConsumerOptions {
  // An option passed as `undefined` (e.g. forwarded from an optional setting) means "default":
  // a plain spread would let it hide the default and fail the range checks below.
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as ConsumerOptions;
  const merged = { ...DEFAULT_CONSUMER_OPTIONS, ...given };
  requireNonBlank('groupId', merged.groupId);
  requireInt('sessionTimeoutMs', merged.sessionTimeoutMs, 6_000, 300_000);
  requireInt('heartbeatIntervalMs', merged.heartbeatIntervalMs, 100, merged.sessionTimeoutMs);
  if (merged.heartbeatIntervalMs * 3 > merged.sessionTimeoutMs) {
    throw invalidOption('heartbeatIntervalMs', 'must be at most a third of sessionTimeoutMs');
  }
  requireInt('maxBytesPerPartition', merged.maxBytesPerPartition, 1_024, 104_857_600);
  requireInt('maxWaitTimeMs', merged.maxWaitTimeMs, 0, 30_000);
  requireInt('partitionsConsumedConcurrently', merged.partitionsConsumedConcurrently, 1, 1_000);
  return merged;
}

/**
 * `after-batch`: the consumer commits each batch once its handler resolved (EventConsumer).
 * `manual`: a resolved handler only advances the fetch position; the caller commits
 * (ManualCommitConsumer), e.g. after a sink that buffers across batches has flushed.
 */
export type CommitMode = 'after-batch' | 'manual';
