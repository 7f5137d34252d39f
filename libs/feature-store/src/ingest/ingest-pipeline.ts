import { deadLetterRecordBytes, MIN_DEAD_LETTER_BYTES, toDeadLetterRecord, type DeadLetter, type DeadLetterRecord } from '@metarec/schemas';

import { FeatureStoreError, invalidOption } from '../errors.js';
import { mergeOptions } from '@metarec/runtime';
import type { OffsetRecord } from '../offline/offline-writer.js';
import type { RecordKind } from '../offline/record-kinds.js';
import type { OnlineBatch } from '../online/online-batch.js';
import type { IngestBatch, IngestMessage } from './ingest-message.js';
import { DEFAULT_INGEST_PIPELINE_OPTIONS, type IngestPipelineOptions } from './ingest-pipeline-options.js';
import { decodeBatch, type Accepted } from './decode-batch.js';
import { OnlineWriteQueue } from './online-write-queue.js';
import { PartitionProgress, type StuckPartition } from './partition-progress.js';
import { RateLimitedLog } from './rate-limited-log.js';

type PipelineState = { readonly status: 'running' } | { readonly status: 'failed'; readonly error: FeatureStoreError } | { readonly status: 'closed' };

interface PartitionBuffer {
  readonly kind: RecordKind;
  readonly topic: string;
  readonly partition: number;
  /** Last offset handled (dead-lettered, or applied online and buffered); later redeliveries of it are skipped. */
  handledThrough: bigint | undefined;
  entries: OffsetRecord[];
  /** When the oldest handled-but-uncommitted message was handled; undefined when nothing is pending. */
  pendingSinceMs: number | undefined;
}

function keyOf(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/**
 * Kafka batches → validation → dead-letter topic, online store (at once) and offline store
 * (buffered), with offsets committed only after the offline files holding them are durable.
 *
 * Exactly once in the offline store comes from three rules: commit after durable; records whose
 * offset a durable file already holds are skipped on write (replays after a crash); buffers of a
 * revoked partition are dropped, never written or committed. The online store is idempotent per
 * partition and offset. The dead-letter topic is at-least-once (a replay may resend a letter).
 */
export class IngestPipeline {
  private readonly options: IngestPipelineOptions & Required<Pick<IngestPipelineOptions, keyof typeof DEFAULT_INGEST_PIPELINE_OPTIONS>>;
  private readonly kinds: ReadonlyMap<string, RecordKind>;
  private readonly partitions = new Map<string, PartitionBuffer>();
  private readonly now: () => number;
  private readonly deadLetterLog: RateLimitedLog;
  private state: PipelineState = { status: 'running' };
  private bufferedRows = 0;
  private flushChain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private readonly onlineQueue: OnlineWriteQueue;
  private readonly progress: PartitionProgress;

  /** @throws FeatureStoreError `FS_OPTIONS_INVALID` before any I/O. */
  constructor(options: IngestPipelineOptions) {
    const merged = mergeOptions(DEFAULT_INGEST_PIPELINE_OPTIONS, options);
    for (const name of ['flushRows', 'flushAgeMs', 'maxBufferedRows', 'maxPendingOnlineEvents', 'maxMessageBytes', 'logIntervalMs', 'stuckAfterMs'] as const) {
      if (!Number.isSafeInteger(merged[name]) || merged[name] < 1) {
        throw invalidOption(name, `must be a positive integer, got ${merged[name]}`);
      }
    }
    if (!Number.isSafeInteger(merged.maxDeadLetterBytes) || merged.maxDeadLetterBytes < MIN_DEAD_LETTER_BYTES) {
      throw invalidOption('maxDeadLetterBytes', `must be an integer of at least ${MIN_DEAD_LETTER_BYTES}, got ${merged.maxDeadLetterBytes}`);
    }
    if (merged.maxBufferedRows < merged.flushRows) {
      throw invalidOption('maxBufferedRows', 'must be at least flushRows');
    }
    const { interactions, userProfiles, itemProfiles } = merged.topics;
    const kinds = new Map<string, RecordKind>([
      [interactions, 'interactions'],
      [userProfiles, 'user_profiles'],
      [itemProfiles, 'item_profiles'],
    ]);
    if (kinds.size !== 3) {
      throw invalidOption('topics', 'the three topics must differ');
    }
    this.options = merged;
    this.kinds = kinds;
    this.now = merged.now ?? Date.now;
    this.deadLetterLog = new RateLimitedLog(merged.logIntervalMs, this.now);
    this.progress = new PartitionProgress(merged.stuckAfterMs, this.now);
    this.onlineQueue = new OnlineWriteQueue(merged.online, (error) =>
      this.fail(new FeatureStoreError('FS_REDIS_FAILED', 'online write failed; later writes of its partition were not sent', { cause: error })),
    );
  }

  /** Topics to subscribe to. */
  topicNames(): string[] {
    return [...this.kinds.keys()];
  }

  /** Starts the age-based flush timer (which also refreshes the stuck-partition gauge). */
  start(): void {
    this.timer ??= setInterval(() => {
      this.flushIfOld();
      this.reportProgress();
    }, Math.max(50, Math.floor(this.options.flushAgeMs / 4)));
    this.timer.unref();
  }

  /** Records buffered for the offline store (not yet durable). */
  buffered(): number {
    return this.bufferedRows;
  }

  /**
   * Partitions with messages to read and no progress for `stuckAfterMs` (e.g. a batch failing on
   * every redelivery); readiness reports them. Refreshes the `partition_stuck` gauge too, so a
   * probe and the scrape after it agree (the timer refreshes it otherwise).
   */
  stuckPartitions(): StuckPartition[] {
    this.reportProgress();
    return this.progress.stuck();
  }

  /**
   * Handles one batch: resolves once its dead letters are sent, its records applied to the online
   * store and buffered for the offline store. `isStale` (the consumer's) drops a batch of a
   * partition that moved away meanwhile. The lag gauge is updated before the work, so a batch
   * that keeps failing still shows its lag.
   * @throws the failure of the dead-letter or online write (the batch is then redelivered), the
   * fatal flush error once failed, `FS_STATE_INVALID` after close.
   */
  async handleBatch(batch: IngestBatch, context: { isStale(): boolean } = { isStale: () => false }): Promise<void> {
    this.assertRunning();
    try {
      await this.handleOwnedBatch(batch, context);
    } catch (error) {
      this.progress.failed(batch.topic, batch.partition);
      this.options.metrics?.batchFailures.inc({ topic: batch.topic, partition: String(batch.partition) });
      this.reportProgress();
      throw error;
    }
  }

  private async handleOwnedBatch(batch: IngestBatch, context: { isStale(): boolean }): Promise<void> {
    const kind = this.kinds.get(batch.topic);
    if (kind === undefined) {
      throw new FeatureStoreError('FS_STATE_INVALID', `batch of unexpected topic ${batch.topic}`);
    }
    const key = keyOf(batch.topic, batch.partition);
    const buffer = this.partitions.get(key) ?? { kind, topic: batch.topic, partition: batch.partition, handledThrough: undefined, entries: [], pendingSinceMs: undefined };
    this.partitions.set(key, buffer);
    const through = buffer.handledThrough;
    const fresh = through === undefined ? batch.messages : batch.messages.filter((m) => m.offset > through);
    if (fresh.length === 0 || context.isStale()) {
      return;
    }
    this.setLag(batch, Number(batch.highWatermark - fresh[0].offset));
    this.options.metrics?.consumed.inc({ topic: batch.topic }, fresh.length);
    const { accepted, letters } = decodeBatch(kind, fresh, { maxMessageBytes: this.options.maxMessageBytes, nowMs: this.now() });
    await this.sendDeadLetters(letters);
    if (context.isStale() || this.partitions.get(key) !== buffer || this.state.status !== 'running') {
      return; // revoked while we worked: dropped here, re-read by the new owner from the last commit
    }
    this.queueOnline(key, kind, batch, accepted);
    for (const { message, record } of accepted) {
      buffer.entries.push({ offset: message.offset, record });
    }
    buffer.handledThrough = fresh[fresh.length - 1].offset;
    buffer.pendingSinceMs ??= this.now();
    this.bufferedRows += accepted.length;
    const lag = Number(batch.highWatermark - buffer.handledThrough - 1n);
    this.progress.advanced(batch.topic, batch.partition, lag);
    this.options.metrics?.lag.set({ topic: batch.topic, partition: String(batch.partition) }, lag);
    this.reportProgress();
    if (this.bufferedRows >= this.options.maxBufferedRows) {
      await this.flush();
    } else if (this.bufferedRows >= this.options.flushRows) {
      this.flushInBackground();
    }
    if (this.onlineQueue.pending() > this.options.maxPendingOnlineEvents) {
      await this.onlineQueue.below(this.options.maxPendingOnlineEvents);
    }
  }

  /** Resolves once every online write queued so far was acknowledged (or failed). */
  onlineSettled(): Promise<void> {
    return this.onlineQueue.settled();
  }

  /** Drops buffered records and progress of partitions this instance no longer owns. */
  revoke(partitions: readonly { readonly topic: string; readonly partition: number }[]): void {
    for (const { topic, partition } of partitions) {
      const buffer = this.partitions.get(keyOf(topic, partition));
      if (buffer !== undefined) {
        this.bufferedRows -= buffer.entries.length;
        this.partitions.delete(keyOf(topic, partition));
        this.options.logger?.info({ topic, partition, dropped: buffer.entries.length }, 'partition revoked; its buffered records were dropped');
      }
      this.progress.forget(topic, partition);
      this.options.metrics?.lag.remove({ topic, partition: String(partition) });
      this.options.metrics?.partitionStuck.remove({ topic, partition: String(partition) });
    }
  }

  /**
   * Writes every buffer to the offline store, then commits the offsets after the last handled
   * message of each partition still owned. Flushes run one at a time.
   * @throws FeatureStoreError when a write failed (the pipeline is then failed; see `onFatal`).
   */
  flush(): Promise<void> {
    const run = this.flushChain.then(() => this.flushOnce());
    this.flushChain = run.catch(() => undefined);
    return run;
  }

  /** Stops the timer, flushes and commits what is buffered. Call after the consumer stopped intake. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    try {
      if (this.state.status === 'running') {
        await this.flush();
      }
    } finally {
      if (this.state.status === 'running') {
        this.state = { status: 'closed' };
      }
    }
  }

  private assertRunning(): void {
    if (this.state.status === 'failed') {
      throw this.state.error;
    }
    if (this.state.status === 'closed') {
      throw new FeatureStoreError('FS_STATE_INVALID', 'ingest pipeline is closed');
    }
  }

  private setLag(batch: IngestBatch, lag: number): void {
    this.progress.fetched(batch.topic, batch.partition, lag);
    this.options.metrics?.lag.set({ topic: batch.topic, partition: String(batch.partition) }, lag);
  }

  /** Sets the stuck gauge of every tracked partition. */
  private reportProgress(): void {
    const gauge = this.options.metrics?.partitionStuck;
    if (gauge === undefined) {
      return;
    }
    for (const { topic, partition, stuck } of this.progress.all()) {
      gauge.set({ topic, partition: String(partition) }, stuck ? 1 : 0);
    }
  }

  /**
   * Sends dead letters sized to the dead-letter topic: each record is cut to fit (a record the
   * broker refuses would fail this batch on every redelivery), and records go in groups whose
   * summed size fits too, since one send of a partition is one record batch to the broker.
   */
  private async sendDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) {
      return;
    }
    const maxBytes = this.options.maxDeadLetterBytes;
    let group: DeadLetterRecord[] = [];
    let groupBytes = 0;
    for (const letter of letters) {
      const record = toDeadLetterRecord(letter, { maxBytes });
      const bytes = deadLetterRecordBytes(record);
      if (group.length > 0 && groupBytes + bytes > maxBytes) {
        await this.options.deadLetters.send(group);
        group = [];
        groupBytes = 0;
      }
      group.push(record);
      groupBytes += bytes;
    }
    await this.options.deadLetters.send(group);
    for (const letter of letters) {
      this.options.metrics?.deadLettered.inc({ reason: letter.reason });
      const decision = this.deadLetterLog.admit(letter.reason);
      if (decision.log) {
        const { topic, partition, offset } = letter.message;
        this.options.logger?.warn(
          { reason: letter.reason, field: letter.field, topic, partition, offset: offset.toString(), suppressedSinceLast: decision.suppressed },
          `dead-lettered: ${letter.detail.slice(0, 200)}`,
        );
      }
    }
  }

  private queueOnline(key: string, kind: RecordKind, batch: IngestBatch, accepted: readonly Accepted[]): void {
    if (accepted.length === 0) {
      return;
    }
    const entries = accepted.map(({ message, record, json }) => ({ offset: message.offset, record, json }));
    const online = { kind, topic: batch.topic, partition: batch.partition, entries } as OnlineBatch;
    this.onlineQueue.enqueue(key, online, () => this.observeOnline(kind, accepted));
  }

  private observeOnline(kind: RecordKind, accepted: readonly { message: IngestMessage }[]): void {
    this.options.metrics?.accepted.inc({ kind }, accepted.length);
    const ackMs = this.now();
    const histogram = this.options.metrics?.eventToOnlineSeconds;
    if (histogram !== undefined) {
      for (const { message } of accepted) {
        histogram.observe(Math.max(0, ackMs - message.timestampMs) / 1000);
      }
    }
  }

  private flushIfOld(): void {
    const nowMs = this.now();
    const old = [...this.partitions.values()].some((p) => p.pendingSinceMs !== undefined && nowMs - p.pendingSinceMs >= this.options.flushAgeMs);
    if (old && this.state.status === 'running') {
      this.flushInBackground();
    }
  }

  private flushInBackground(): void {
    this.flush().catch((error: unknown) => {
      // Already reported through onFatal by flushOnce; this only keeps the rejection handled.
      this.options.logger?.debug({ err: error }, 'background flush failed');
    });
  }

  private async flushOnce(): Promise<void> {
    if (this.state.status === 'failed') {
      throw this.state.error;
    }
    const snapshot = [...this.partitions.values()]
      .filter((p) => p.pendingSinceMs !== undefined && p.handledThrough !== undefined)
      .map((buffer) => ({ buffer, entries: buffer.entries, through: buffer.handledThrough as bigint }));
    if (snapshot.length === 0) {
      return;
    }
    for (const { buffer, entries } of snapshot) {
      buffer.entries = [];
      buffer.pendingSinceMs = undefined;
      this.bufferedRows -= entries.length;
    }
    const stopTimer = this.options.metrics?.flushSeconds.startTimer();
    const owned = (buffer: PartitionBuffer): boolean => this.partitions.get(keyOf(buffer.topic, buffer.partition)) === buffer;
    try {
      for (const { buffer, entries } of snapshot) {
        const result = await this.options.offline.write(buffer.kind, buffer.topic, buffer.partition, entries, { stillOwned: () => owned(buffer) });
        if (result.skipped > 0) {
          this.options.logger?.info({ topic: buffer.topic, partition: buffer.partition, skipped: result.skipped }, 'replayed records already durable were skipped');
        }
        for (const file of result.written) {
          this.options.metrics?.filesWritten.inc({ kind: buffer.kind });
          this.options.metrics?.bytesWritten.inc({ kind: buffer.kind }, file.bytes);
        }
      }
    } catch (error) {
      throw this.fail(new FeatureStoreError('FS_WRITE_FAILED', 'offline flush failed; records left the buffer without becoming durable', { cause: error }));
    }
    // Online writes of these records must be acknowledged too before their offsets are committed.
    await this.onlineQueue.settled(snapshot.map(({ buffer }) => keyOf(buffer.topic, buffer.partition)));
    const failure = this.failure();
    if (failure !== undefined) {
      throw failure;
    }
    await this.commit(snapshot.filter(({ buffer }) => owned(buffer)).map(({ buffer, through }) => ({ topic: buffer.topic, partition: buffer.partition, offset: through + 1n })));
    stopTimer?.();
  }

  private failure(): FeatureStoreError | undefined {
    return this.state.status === 'failed' ? this.state.error : undefined;
  }

  /** Fails the pipeline for good (first failure wins), reports it once, and returns the error. */
  private fail(error: FeatureStoreError): FeatureStoreError {
    if (this.state.status === 'failed') {
      return this.state.error;
    }
    this.state = { status: 'failed', error };
    this.options.logger?.error({ err: error }, error.message);
    this.options.onFatal?.(error);
    return error;
  }

  private async commit(offsets: readonly { topic: string; partition: number; offset: bigint }[]): Promise<void> {
    if (offsets.length === 0) {
      return;
    }
    try {
      await this.options.committer.commit(offsets);
    } catch (error) {
      // The records are durable; a replay from the older commit skips them. The next flush retries.
      this.options.logger?.warn({ err: error, partitions: offsets.length }, 'offset commit failed after a durable flush');
    }
  }
}
