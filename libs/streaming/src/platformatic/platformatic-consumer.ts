import type { Logger } from '@metarec/runtime';
import { Consumer, MessagesStreamFallbackModes, MessagesStreamModes, type GroupAssignment, type Message, type MessagesStream } from '@platformatic/kafka';

import type { ResolvedClientOptions } from '../client-options.js';
import { resolveConsumerOptions, type CommitMode, type ConsumerOptions, type ResolvedConsumerOptions } from '../consumer-options.js';
import type { BatchHandler, ConsumedMessage, EventConsumer, TopicPartition, TopicPartitions } from '../event-consumer.js';
import { requireNonBlank, StreamingError } from '../errors.js';
import type { CommitOffset, ManualCommitConsumer } from '../manual-commit-consumer.js';
import { platformaticBaseOptions, wrapPlatformaticError } from './base-options.js';

/** Messages held across all partitions before the fetch stream is paused (back-pressure). */
const MAX_QUEUED_MESSAGES = 20_000;
/** Most messages handed to one handler call. */
const MAX_BATCH_MESSAGES = 5_000;
/**
 * How long the broker waits for every member to rejoin in a rebalance: kafkajs's 60 s rather than
 * the library's 102 s (a member killed mid-rebalance holds the group up to this long).
 */
const REBALANCE_TIMEOUT_MS = 60_000;
/** How often the partitions' log-end offsets are refreshed for the batches' `highWatermark`. */
const END_OFFSETS_REFRESH_MS = 1_000;

type Stream = MessagesStream<Buffer, Buffer, Buffer, Buffer>;

/** One assigned partition: its undelivered messages and where delivery stands. */
interface PartitionQueue {
  readonly topic: string;
  readonly partition: number;
  messages: ConsumedMessage[];
  /** The next offset to hand to the handler; earlier ones (refetched after a rejoin) are skipped. */
  next: bigint | undefined;
  busy: boolean;
  paused: boolean;
  /** Bumped when the partition is revoked: a batch taken under another epoch is stale. */
  epoch: number;
  /** Failed handler calls in a row (backoff). */
  failures: number;
  retryAt: number;
}

type ConsumerState = 'idle' | 'running' | 'draining' | 'closed';

const keyOf = (topic: string, partition: number): string => `${topic}:${partition}`;

function toConsumed(message: Message<Buffer, Buffer, Buffer, Buffer>): ConsumedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of message.headers) {
    // Later values of a repeated header overwrite earlier ones, as the contract says.
    headers[name.toString('utf8')] = value === undefined ? '' : value.toString('utf8');
  }
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    key: message.key === undefined || message.key === null ? null : message.key.toString('utf8'),
    value: message.value === undefined ? null : message.value,
    headers,
    timestampMs: Number(message.timestamp),
  };
}

/** Closes the consumer, closing its streams and leaving the group (the promise overload takes no `force`). */
function forceClose(consumer: Consumer<Buffer, Buffer, Buffer, Buffer>): Promise<void> {
  return new Promise((resolve, reject) => {
    consumer.close(true, (error) => (error ? reject(error) : resolve()));
  });
}

function flatten(assignments: readonly GroupAssignment[] | null | undefined): TopicPartition[] {
  return (assignments ?? []).flatMap((entry) => entry.partitions.map((partition) => ({ topic: entry.topic, partition })));
}

function minus(left: readonly TopicPartition[], right: readonly TopicPartition[]): TopicPartition[] {
  return left.filter((a) => !right.some((b) => a.topic === b.topic && a.partition === b.partition));
}

/**
 * `EventConsumer` and `ManualCommitConsumer` over a `@platformatic/kafka` consumer (autocommit
 * off). The library streams single messages; this class regroups them into per-partition batches,
 * runs at most `partitionsConsumedConcurrently` partitions at once (one batch at a time per
 * partition), commits after a batch (`after-batch`) or only on `commit` (`manual`), redelivers a
 * batch whose handler threw after a backoff, and drops what it holds for a revoked partition.
 * The library heartbeats on its own timer, so `heartbeat()` has nothing to do.
 */
export class PlatformaticConsumer implements EventConsumer, ManualCommitConsumer {
  private state: ConsumerState = 'idle';
  private topics: string[] = [];
  private fromBeginning = true;
  private stream: Stream | undefined;
  private handler: BatchHandler | undefined;
  private current: readonly TopicPartition[] = [];
  private readonly queues = new Map<string, PartitionQueue>();
  private readonly pausedTopics = new Set<string>();
  private readonly endOffsets = new Map<string, bigint>();
  private readonly inFlight = new Set<Promise<void>>();
  private queued = 0;
  private streamPaused = false;
  private active = 0;
  private pumpScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private endOffsetsTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly consumer: Consumer<Buffer, Buffer, Buffer, Buffer>,
    private readonly client: ResolvedClientOptions,
    private readonly options: ResolvedConsumerOptions,
    private readonly logger: Logger | undefined,
    private readonly commitMode: CommitMode,
  ) {
    consumer.on('consumer:group:join', (payload) => this.onJoin(flatten(payload.assignments)));
    consumer.on('consumer:group:leave', () => this.onJoin([], 'consumer group left'));
  }

  /** Validates options, connects (a metadata round trip), and returns a consumer ready to `subscribe`. */
  static async connect(client: ResolvedClientOptions, options: ConsumerOptions, logger: Logger | undefined, commitMode: CommitMode): Promise<PlatformaticConsumer> {
    const resolved = resolveConsumerOptions(options);
    const consumer = new Consumer<Buffer, Buffer, Buffer, Buffer>({
      ...platformaticBaseOptions(client),
      groupId: resolved.groupId,
      sessionTimeout: resolved.sessionTimeoutMs,
      heartbeatInterval: resolved.heartbeatIntervalMs,
      rebalanceTimeout: REBALANCE_TIMEOUT_MS,
      maxBytesPerPartition: resolved.maxBytesPerPartition,
      maxWaitTime: resolved.maxWaitTimeMs,
      autocommit: false,
    });
    try {
      await consumer.metadata({ topics: [] });
    } catch (error) {
      await forceClose(consumer).catch((closeError: unknown) => logger?.debug({ err: closeError }, 'consumer close after a failed connect failed'));
      throw wrapPlatformaticError('STREAM_CONNECT_FAILED', `consumer ${resolved.groupId} could not connect`, error);
    }
    return new PlatformaticConsumer(consumer, client, resolved, logger, commitMode);
  }

  async subscribe(topics: readonly string[], options: { readonly fromBeginning?: boolean } = {}): Promise<void> {
    if (this.state !== 'idle') {
      throw new StreamingError('STREAM_STATE_INVALID', `subscribe while ${this.state}`);
    }
    topics.forEach((topic) => requireNonBlank('topics', topic));
    try {
      const metadata = await this.consumer.metadata({ topics: [...topics], forceUpdate: true });
      const missing = topics.filter((topic) => !metadata.topics.has(topic));
      if (missing.length > 0) {
        throw new Error(`unknown topic(s) ${missing.join(', ')}`);
      }
    } catch (error) {
      throw wrapPlatformaticError('STREAM_CONNECT_FAILED', `subscribe to ${topics.join(', ')} failed`, error);
    }
    this.topics = [...this.topics, ...topics];
    this.fromBeginning = options.fromBeginning ?? true;
  }

  async run(handler: BatchHandler): Promise<void> {
    if (this.state !== 'idle' || this.topics.length === 0) {
      throw new StreamingError('STREAM_STATE_INVALID', `run: ${this.state === 'idle' ? 'nothing subscribed' : this.state}`);
    }
    this.state = 'running';
    this.handler = handler;
    await this.startStream();
    this.endOffsetsTimer = setInterval(() => void this.refreshEndOffsets(), END_OFFSETS_REFRESH_MS);
    this.endOffsetsTimer.unref();
  }

  pause(partitions: readonly TopicPartitions[]): void {
    this.setPaused(partitions, true);
  }

  resume(partitions: readonly TopicPartitions[]): void {
    this.setPaused(partitions, false);
    this.pump();
  }

  assignment(): readonly TopicPartition[] {
    return this.current;
  }

  async commit(offsets: readonly CommitOffset[]): Promise<readonly CommitOffset[]> {
    // Only partitions we still own: a lost partition's commit would overwrite its new owner's progress.
    const owned = offsets.filter((entry) => this.queues.has(keyOf(entry.topic, entry.partition)));
    if (owned.length === 0 || this.state === 'closed' || this.state === 'idle') {
      return [];
    }
    await this.commitOffsets(owned);
    return owned;
  }

  async drain(): Promise<void> {
    if (this.state === 'running') {
      this.state = 'draining';
      this.pauseStream();
    }
    await Promise.allSettled([...this.inFlight]);
  }

  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    await this.drain();
    clearInterval(this.endOffsetsTimer);
    clearTimeout(this.timer);
    try {
      await this.stream?.close();
      // Leaves the group, so the partitions move to the other members at once.
      await forceClose(this.consumer);
    } catch (error) {
      throw wrapPlatformaticError('STREAM_CONNECT_FAILED', `consumer ${this.options.groupId} disconnect failed`, error);
    } finally {
      this.state = 'closed';
      const revoked = this.current;
      this.current = [];
      this.queues.clear();
      if (revoked.length > 0) {
        this.options.onPartitionsRevoked?.(revoked);
      }
    }
  }

  private async startStream(): Promise<void> {
    let stream: Stream;
    try {
      stream = await this.consumer.consume({
        topics: [...this.topics],
        autocommit: false,
        mode: MessagesStreamModes.COMMITTED,
        fallbackMode: this.fromBeginning ? MessagesStreamFallbackModes.EARLIEST : MessagesStreamFallbackModes.LATEST,
        sessionTimeout: this.options.sessionTimeoutMs,
        heartbeatInterval: this.options.heartbeatIntervalMs,
        rebalanceTimeout: REBALANCE_TIMEOUT_MS,
        maxWaitTime: this.options.maxWaitTimeMs,
        maxBytesPerPartition: this.options.maxBytesPerPartition,
      });
    } catch (error) {
      throw wrapPlatformaticError('STREAM_CONNECT_FAILED', `consumer ${this.options.groupId} could not join`, error);
    }
    this.stream = stream;
    // The join may have happened inside consume(), before any event could reach us.
    this.onJoin(flatten(this.consumer.assignments));
    stream.on('data', (message: Message<Buffer, Buffer, Buffer, Buffer>) => this.enqueue(message));
    stream.on('error', (error: Error) => this.onStreamError(stream, error));
  }

  private onStreamError(stream: Stream, cause: Error): void {
    if (this.stream !== stream || this.state === 'closed' || this.closing !== undefined) {
      return;
    }
    const restarting = this.state === 'running';
    const error = new StreamingError('STREAM_CONSUMER_CRASHED', `consumer ${this.options.groupId} crashed: ${cause.message}`, { cause });
    this.logger?.error({ groupId: this.options.groupId, restarting, err: error }, error.message);
    this.options.onCrash?.(error, restarting);
    this.stream = undefined;
    if (!restarting) {
      return;
    }
    // As kafkajs does on a retriable crash: start over from the committed offsets after a backoff.
    setTimeout(() => {
      if (this.state !== 'running') {
        return;
      }
      this.startStream().catch((restartError: unknown) => this.onStreamError(stream, restartError instanceof Error ? restartError : new Error(String(restartError))));
    }, this.client.initialRetryTimeMs).unref();
  }

  private onJoin(next: readonly TopicPartition[], event = 'consumer group joined'): void {
    const revoked = minus(this.current, next);
    const assigned = minus(next, this.current);
    if (revoked.length === 0 && assigned.length === 0) {
      return;
    }
    this.current = next;
    for (const entry of revoked) {
      const queue = this.queues.get(keyOf(entry.topic, entry.partition));
      if (queue !== undefined) {
        queue.epoch += 1;
        this.queued -= queue.messages.length;
        this.queues.delete(keyOf(entry.topic, entry.partition));
      }
    }
    for (const entry of assigned) {
      this.queue(entry.topic, entry.partition);
    }
    this.logger?.info({ groupId: this.options.groupId, assigned, revoked }, event);
    if (revoked.length > 0) {
      this.options.onPartitionsRevoked?.(revoked);
    }
    if (assigned.length > 0) {
      this.options.onPartitionsAssigned?.(assigned);
    }
    this.resumeStreamIfRoom();
  }

  private queue(topic: string, partition: number): PartitionQueue {
    const key = keyOf(topic, partition);
    let queue = this.queues.get(key);
    if (queue === undefined) {
      queue = { topic, partition, messages: [], next: undefined, busy: false, paused: this.pausedTopics.has(topic), epoch: 0, failures: 0, retryAt: 0 };
      this.queues.set(key, queue);
    }
    return queue;
  }

  private enqueue(raw: Message<Buffer, Buffer, Buffer, Buffer>): void {
    const queue = this.queues.get(keyOf(raw.topic, raw.partition));
    // A message fetched for a partition we no longer own: its new owner reads it.
    if (queue === undefined || this.state === 'closed') {
      return;
    }
    const last = queue.messages.at(-1)?.offset ?? (queue.next === undefined ? undefined : queue.next - 1n);
    // After a rejoin the library refetches from the committed offset: skip what we already hold or handed out.
    if (last !== undefined && raw.offset <= last) {
      return;
    }
    queue.messages.push(toConsumed(raw));
    this.queued += 1;
    if (this.queued >= MAX_QUEUED_MESSAGES) {
      this.pauseStream();
    }
    // The library emits a fetch response's messages one by one in the same tick: dispatch once
    // they are all queued, so they form one batch instead of a batch of one and then the rest.
    if (!this.pumpScheduled) {
      this.pumpScheduled = true;
      setImmediate(() => {
        this.pumpScheduled = false;
        this.pump();
      });
    }
  }

  private pump(): void {
    if (this.state !== 'running' || this.handler === undefined) {
      return;
    }
    const now = Date.now();
    let nextRetry = Number.POSITIVE_INFINITY;
    for (const queue of this.queues.values()) {
      if (this.active >= this.options.partitionsConsumedConcurrently) {
        return;
      }
      if (queue.busy || queue.paused || queue.messages.length === 0) {
        continue;
      }
      if (queue.retryAt > now) {
        nextRetry = Math.min(nextRetry, queue.retryAt);
        continue;
      }
      this.track(this.handle(queue, this.handler));
    }
    if (Number.isFinite(nextRetry)) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.pump(), nextRetry - now);
      this.timer.unref();
    }
  }

  private async handle(queue: PartitionQueue, handler: BatchHandler): Promise<void> {
    const messages = queue.messages.splice(0, MAX_BATCH_MESSAGES);
    this.queued -= messages.length;
    this.resumeStreamIfRoom();
    queue.busy = true;
    this.active += 1;
    const epoch = queue.epoch;
    const isStale = (): boolean => queue.epoch !== epoch || this.queues.get(keyOf(queue.topic, queue.partition)) !== queue;
    const firstOffset = messages[0]?.offset ?? 0n;
    const lastOffset = messages[messages.length - 1]?.offset ?? firstOffset;
    const known = this.endOffsets.get(keyOf(queue.topic, queue.partition)) ?? 0n;
    const batch = { topic: queue.topic, partition: queue.partition, messages, highWatermark: known > lastOffset ? known : lastOffset + 1n };
    queue.next = lastOffset + 1n;
    try {
      await handler(batch, { heartbeat: async () => undefined, isStale });
      queue.failures = 0;
      if (isStale()) {
        this.logger?.warn({ topic: queue.topic, partition: queue.partition }, 'stale batch not committed');
      } else if (this.commitMode === 'after-batch') {
        await this.commitOffsets([{ topic: queue.topic, partition: queue.partition, offset: lastOffset + 1n }]);
      }
    } catch (error) {
      if (!isStale()) {
        // Redeliver: the batch goes back in front of what arrived meanwhile, after a backoff.
        queue.messages.unshift(...messages);
        this.queued += messages.length;
        queue.failures += 1;
        queue.retryAt = Date.now() + Math.min(this.client.initialRetryTimeMs * 2 ** (queue.failures - 1), this.client.maxRetryTimeMs);
      }
      const wrapped =
        error instanceof StreamingError
          ? error
          : new StreamingError('STREAM_HANDLER_FAILED', `handler failed on ${queue.topic}[${queue.partition}] at ${firstOffset}: ${String(error)}`, {
              cause: error,
              retriable: true,
            });
      this.logger?.warn({ groupId: this.options.groupId, err: wrapped }, 'batch not committed; it will be redelivered');
    } finally {
      queue.busy = false;
      this.active -= 1;
      this.pump();
    }
  }

  private async commitOffsets(offsets: readonly CommitOffset[]): Promise<void> {
    try {
      await this.consumer.commit({ offsets: offsets.map((entry) => ({ topic: entry.topic, partition: entry.partition, offset: entry.offset, leaderEpoch: -1 })) });
    } catch (error) {
      throw wrapPlatformaticError('STREAM_COMMIT_FAILED', `commit of ${offsets.length} partition offsets failed`, error);
    }
  }

  private async refreshEndOffsets(): Promise<void> {
    if (this.state !== 'running' || this.current.length === 0) {
      return;
    }
    try {
      const listed = await this.consumer.listOffsets({ topics: [...new Set(this.current.map((entry) => entry.topic))] });
      for (const [topic, offsets] of listed) {
        offsets.forEach((offset, partition) => this.endOffsets.set(keyOf(topic, partition), offset));
      }
    } catch (error) {
      // Lag then lags a little; the next refresh tries again.
      this.logger?.debug({ groupId: this.options.groupId, err: error }, 'end offsets refresh failed');
    }
  }

  private setPaused(partitions: readonly TopicPartitions[], paused: boolean): void {
    for (const entry of partitions) {
      if (entry.partitions === undefined) {
        if (paused) {
          this.pausedTopics.add(entry.topic);
        } else {
          this.pausedTopics.delete(entry.topic);
        }
      }
      for (const queue of this.queues.values()) {
        if (queue.topic === entry.topic && (entry.partitions === undefined || entry.partitions.includes(queue.partition))) {
          queue.paused = paused;
        }
      }
    }
  }

  private pauseStream(): void {
    if (!this.streamPaused) {
      this.streamPaused = true;
      this.stream?.pause();
    }
  }

  private resumeStreamIfRoom(): void {
    if (this.streamPaused && this.state === 'running' && this.queued < MAX_QUEUED_MESSAGES / 2) {
      this.streamPaused = false;
      this.stream?.resume();
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    const untrack = (): void => {
      this.inFlight.delete(work);
    };
    work.then(untrack, untrack);
  }
}
