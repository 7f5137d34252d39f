import type { Logger } from '@metarec/runtime';

import { resolveConsumerOptions, type CommitMode, type ConsumerOptions, type ResolvedConsumerOptions } from '../consumer-options.js';
import type { BatchHandler, ConsumedMessage, EventConsumer, TopicPartition, TopicPartitions } from '../event-consumer.js';
import { requireNonBlank, StreamingError, wrapClientError } from '../errors.js';
import type { CommitOffset, ManualCommitConsumer } from '../manual-commit-consumer.js';
import type { ConfluentBatchPayload, ConfluentConsumer as Consumer, ConfluentKafka, ConfluentMessage, ConfluentTopicPartition } from './confluent-module.js';

/** librdkafka's rebalance event codes. */
const ASSIGN_PARTITIONS = -175;
const REVOKE_PARTITIONS = -174;
/** Most messages per `eachBatch` call (the library's default is 32). */
const MAX_BATCH_MESSAGES = 5_000;

type ConsumerState = 'idle' | 'running' | 'draining' | 'closed';

function toMessage(topic: string, partition: number, message: ConfluentMessage): ConsumedMessage {
  const headers: Record<string, string> = {};
  for (const [name, raw] of Object.entries(message.headers ?? {})) {
    const last = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (last !== undefined) {
      headers[name] = last.toString();
    }
  }
  return {
    topic,
    partition,
    offset: BigInt(message.offset),
    key: message.key === null ? null : message.key.toString('utf8'),
    value: message.value,
    headers,
    timestampMs: Number(message.timestamp),
  };
}

const plain = (entries: readonly ConfluentTopicPartition[]): TopicPartition[] => entries.map(({ topic, partition }) => ({ topic, partition }));

/**
 * `EventConsumer` and `ManualCommitConsumer` over librdkafka's consumer (KafkaJS-compatible API,
 * auto-commit off, eager rebalancing). Same contract as the kafkajs adapter: a batch is committed
 * after its handler resolved (`after-batch`) or only by `commit` (`manual`); a throwing handler
 * leaves it unresolved and the library seeks back and redelivers it. Rebalances reach
 * `onPartitionsRevoked` before the partitions move (librdkafka's rebalance callback).
 */
export class ConfluentConsumer implements EventConsumer, ManualCommitConsumer {
  private state: ConsumerState = 'idle';
  private topics: string[] = [];
  private current: readonly TopicPartition[] = [];
  private closing: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  private constructor(
    private consumer: Consumer,
    private readonly kafka: ConfluentKafka,
    private readonly options: ResolvedConsumerOptions,
    private readonly logger: Logger | undefined,
    private readonly commitMode: CommitMode,
  ) {}

  /** Validates options, connects, and returns a consumer ready to `subscribe`. */
  static async connect(kafka: ConfluentKafka, options: ConsumerOptions, logger: Logger | undefined, commitMode: CommitMode): Promise<ConfluentConsumer> {
    const resolved = resolveConsumerOptions(options);
    const holder: { self?: ConfluentConsumer } = {};
    const consumer = ConfluentConsumer.create(kafka, resolved, true, holder);
    try {
      await consumer.connect();
    } catch (error) {
      throw wrapClientError('STREAM_CONNECT_FAILED', `consumer ${resolved.groupId} could not connect`, error);
    }
    holder.self = new ConfluentConsumer(consumer, kafka, resolved, logger, commitMode);
    return holder.self;
  }

  /** The library takes `fromBeginning` at construction, so `subscribe` may have to rebuild the consumer. */
  private static create(kafka: ConfluentKafka, options: ResolvedConsumerOptions, fromBeginning: boolean, holder: { self?: ConfluentConsumer }): Consumer {
    return kafka.consumer({
      kafkaJS: {
        groupId: options.groupId,
        sessionTimeout: options.sessionTimeoutMs,
        heartbeatInterval: options.heartbeatIntervalMs,
        maxBytesPerPartition: options.maxBytesPerPartition,
        maxWaitTimeInMs: options.maxWaitTimeMs,
        allowAutoTopicCreation: false,
        autoCommit: false,
        fromBeginning,
      },
      'js.consumer.max.batch.size': MAX_BATCH_MESSAGES,
      rebalance_cb: (error: { code: number }, assignment: ConfluentTopicPartition[]) => holder.self?.onRebalance(error.code, plain(assignment)),
    });
  }

  async subscribe(topics: readonly string[], options: { readonly fromBeginning?: boolean } = {}): Promise<void> {
    if (this.state !== 'idle') {
      throw new StreamingError('STREAM_STATE_INVALID', `subscribe while ${this.state}`);
    }
    topics.forEach((topic) => requireNonBlank('topics', topic));
    try {
      if (options.fromBeginning === false) {
        await this.consumer.disconnect();
        const holder = { self: this as ConfluentConsumer };
        this.consumer = ConfluentConsumer.create(this.kafka, this.options, false, holder);
        await this.consumer.connect();
      }
      this.topics = [...this.topics, ...topics];
      await this.consumer.subscribe({ topics: [...this.topics] });
    } catch (error) {
      throw wrapClientError('STREAM_CONNECT_FAILED', `subscribe to ${topics.join(', ')} failed`, error);
    }
  }

  async run(handler: BatchHandler): Promise<void> {
    if (this.state !== 'idle' || this.topics.length === 0) {
      throw new StreamingError('STREAM_STATE_INVALID', `run: ${this.state === 'idle' ? 'nothing subscribed' : this.state}`);
    }
    this.state = 'running';
    await this.consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.track(this.handleBatch(handler, payload)),
    });
  }

  pause(partitions: readonly TopicPartitions[]): void {
    // The library refuses pause/resume before the group assigned partitions.
    if (this.current.length > 0) {
      this.consumer.pause(partitions.map((entry) => ({ topic: entry.topic, partitions: entry.partitions && [...entry.partitions] })));
    }
  }

  resume(partitions: readonly TopicPartitions[]): void {
    if (this.current.length > 0) {
      this.consumer.resume(partitions.map((entry) => ({ topic: entry.topic, partitions: entry.partitions && [...entry.partitions] })));
    }
  }

  assignment(): readonly TopicPartition[] {
    return this.current;
  }

  async commit(offsets: readonly CommitOffset[]): Promise<readonly CommitOffset[]> {
    const owned = offsets.filter((entry) => this.isAssigned(entry.topic, entry.partition));
    if (owned.length === 0 || this.state === 'closed' || this.state === 'idle') {
      return [];
    }
    try {
      await this.consumer.commitOffsets(owned.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset.toString() })));
    } catch (error) {
      throw wrapClientError('STREAM_COMMIT_FAILED', `commit of ${owned.length} partition offsets failed`, error);
    }
    return owned;
  }

  async drain(): Promise<void> {
    const wasRunning = this.state === 'running';
    if (wasRunning) {
      // New batches are left unhandled from here on (handleBatch checks the state).
      this.state = 'draining';
    }
    // Pausing marks the in-flight batches stale in this library (they would not be committed),
    // so wait for them first, then pause.
    await Promise.allSettled([...this.inFlight]);
    if (wasRunning) {
      this.pause(this.topics.map((topic) => ({ topic })));
    }
  }

  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    await this.drain();
    try {
      await this.consumer.disconnect();
    } catch (error) {
      throw wrapClientError('STREAM_CONNECT_FAILED', `consumer ${this.options.groupId} disconnect failed`, error);
    } finally {
      this.state = 'closed';
      const revoked = this.current;
      this.current = [];
      if (revoked.length > 0) {
        this.options.onPartitionsRevoked?.(revoked);
      }
    }
  }

  /** Eager protocol: a revoke hands back the whole assignment, the following assign the new one. */
  private onRebalance(code: number, partitions: readonly TopicPartition[]): void {
    if (code === REVOKE_PARTITIONS) {
      const revoked = this.current;
      this.current = [];
      if (revoked.length > 0) {
        this.options.onPartitionsRevoked?.(revoked);
      }
      return;
    }
    if (code === ASSIGN_PARTITIONS) {
      this.current = partitions;
      this.logger?.info({ groupId: this.options.groupId, assigned: partitions }, 'consumer group joined');
      if (partitions.length > 0) {
        this.options.onPartitionsAssigned?.(partitions);
      }
      if (this.state === 'draining') {
        this.pause(this.topics.map((topic) => ({ topic })));
      }
    }
  }

  private track(work: Promise<void>): Promise<void> {
    this.inFlight.add(work);
    const untrack = (): void => {
      this.inFlight.delete(work);
    };
    work.then(untrack, untrack);
    return work;
  }

  private isAssigned(topic: string, partition: number): boolean {
    return this.current.some((entry) => entry.topic === topic && entry.partition === partition);
  }

  private async handleBatch(handler: BatchHandler, payload: ConfluentBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.isEmpty() || this.state !== 'running') {
      return;
    }
    const isStale = (): boolean => payload.isStale() || !this.isAssigned(batch.topic, batch.partition);
    const messages = batch.messages.map((message) => toMessage(batch.topic, batch.partition, message));
    try {
      await handler(
        { topic: batch.topic, partition: batch.partition, messages, highWatermark: BigInt(batch.highWatermark) },
        { heartbeat: () => payload.heartbeat(), isStale },
      );
    } catch (error) {
      const wrapped = new StreamingError('STREAM_HANDLER_FAILED', `handler failed on ${batch.topic}[${batch.partition}] at ${batch.firstOffset()}: ${String(error)}`, {
        cause: error,
        retriable: true,
      });
      this.logger?.warn({ groupId: this.options.groupId, err: wrapped }, 'batch not committed; it will be redelivered');
      throw wrapped;
    }
    if (isStale()) {
      this.logger?.warn({ topic: batch.topic, partition: batch.partition }, 'stale batch not committed');
      return;
    }
    const lastOffset = batch.lastOffset();
    payload.resolveOffset(lastOffset);
    if (this.commitMode === 'manual') {
      return;
    }
    try {
      await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(lastOffset) + 1n).toString() }]);
    } catch (error) {
      throw wrapClientError('STREAM_COMMIT_FAILED', `commit of ${batch.topic}[${batch.partition}] at ${lastOffset} failed`, error);
    }
  }
}
