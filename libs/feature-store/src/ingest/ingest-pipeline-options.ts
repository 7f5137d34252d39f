import type { Logger } from '@metarec/runtime';

import type { FeatureStoreError } from '../errors.js';
import type { OfflineWriteOptions, OfflineWriteResult, OffsetRecord } from '../offline/offline-writer.js';
import type { RecordKind } from '../offline/record-kinds.js';
import type { OnlineBatch } from '../online/online-batch.js';
import type { DeadLetterSink } from './dead-letter.js';
import type { IngestMetrics } from './ingest-metrics.js';

/** Where offline records go (`OfflineWriter` implements it). */
export interface OfflineSink {
  write(kind: RecordKind, topic: string, partition: number, entries: readonly OffsetRecord[], options?: OfflineWriteOptions): Promise<OfflineWriteResult>;
}

/** Where online records go (`OnlineStore` implements it). Must be idempotent per partition and offset. */
export interface OnlineSink {
  apply(batches: readonly OnlineBatch[]): Promise<number>;
}

/** Commits consumer-group offsets (`offset` = next offset to read). Streaming's `ManualCommitConsumer` implements it. */
export interface OffsetCommitter {
  commit(offsets: readonly { readonly topic: string; readonly partition: number; readonly offset: bigint }[]): Promise<unknown>;
}

/** Topic name of each record kind. */
export interface IngestTopics {
  readonly interactions: string;
  readonly userProfiles: string;
  readonly itemProfiles: string;
}

/** Options of {@link IngestPipeline}. Times in ms, sizes in bytes. */
export interface IngestPipelineOptions {
  readonly topics: IngestTopics;
  readonly offline: OfflineSink;
  readonly online: OnlineSink;
  readonly deadLetters: DeadLetterSink;
  readonly committer: OffsetCommitter;
  readonly logger?: Logger;
  readonly metrics?: IngestMetrics;
  /** Flush once this many records are buffered. @defaultValue `50_000` */
  readonly flushRows?: number;
  /** Flush once the oldest uncommitted message is this old, so a quiet stream lands too. @defaultValue `5_000` */
  readonly flushAgeMs?: number;
  /** Back-pressure: a batch waits for a flush once this many records are buffered. @defaultValue `200_000` */
  readonly maxBufferedRows?: number;
  /**
   * Back-pressure on the online store: a batch waits once this many events are queued for Redis
   * and not yet acknowledged (the handler otherwise returns before its online write finished).
   * @defaultValue `20_000`
   */
  readonly maxPendingOnlineEvents?: number;
  /** Payloads above this go to the dead-letter topic (`FS_MESSAGE_TOO_LARGE`). @defaultValue `1_048_576` */
  readonly maxMessageBytes?: number;
  /**
   * The dead-letter topic's `max.message.bytes` (read it from the broker at start): each dead
   * letter is cut to fit, and each send of them fits too. At least 4096.
   * @defaultValue `1_048_588` (Kafka's default)
   */
  readonly maxDeadLetterBytes?: number;
  /**
   * A partition with messages to read and no progress for this long is reported stuck
   * (`stuckPartitions`, the `partition_stuck` gauge), e.g. a batch failing on every redelivery.
   * @defaultValue `60_000`
   */
  readonly stuckAfterMs?: number;
  /** One log line per dead-letter reason per interval. @defaultValue `10_000` */
  readonly logIntervalMs?: number;
  /** Clock, epoch ms. @defaultValue `Date.now` */
  readonly now?: () => number;
  /**
   * Called once when a flush or an online write failed: records left the buffer without becoming
   * durable, or a partition's online writes stopped, so the process must restart from the
   * committed offsets (replays are idempotent).
   */
  readonly onFatal?: (error: FeatureStoreError) => void;
}

/** Defaults laid under {@link IngestPipelineOptions}. */
export const DEFAULT_INGEST_PIPELINE_OPTIONS = {
  flushRows: 50_000,
  flushAgeMs: 5_000,
  maxBufferedRows: 200_000,
  maxPendingOnlineEvents: 20_000,
  maxMessageBytes: 1_048_576,
  maxDeadLetterBytes: 1_048_588,
  stuckAfterMs: 60_000,
  logIntervalMs: 10_000,
} as const;
