// Added by the ingest helper (issue 5): exactly-once sinks that buffer across batches need to
// commit offsets themselves, after their own flush, and never for a partition they lost.
import type { Logger } from '@metarec/runtime';
import { Kafka, type Consumer, type EachBatchPayload, type KafkaMessage } from 'kafkajs';

import type { BatchHandler, ConsumedMessage, TopicPartition, TopicPartitions } from './event-consumer.js';
import { StreamingError, wrapClientError } from './errors.js';
import { requireNonBlank } from './kafkajs/client-options.js';
import { resolveKafkaClientOptions, type KafkaClientOptions } from './kafkajs/kafka-js-client.js';
import { resolveConsumerOptions, type ConsumerOptions } from './kafkajs/kafka-js-consumer.js';
import { CLIENT_LOG_LEVELS, kafkaJsLogCreator } from './kafkajs/log-creator.js';

/** The offset to resume a partition from (the next one to read), as committed to the group. */
export interface CommitOffset extends TopicPartition {
  readonly offset: bigint;
}

/**
 * A consumer-group member whose handler's resolution only advances the fetch position: nothing
 * is committed until the caller calls `commit` (e.g. after its own durable flush). Commits for
 * partitions no longer assigned are dropped, never sent (kafkajs would send them with the new
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

type State = 'idle' | 'running' | 'draining' | 'closed';

function toMessage(topic: string, partition: number, message: KafkaMessage): ConsumedMessage {
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

function same(a: TopicPartition, b: TopicPartition): boolean {
  return a.topic === b.topic && a.partition === b.partition;
}

class KafkaJsManualCommitConsumer implements ManualCommitConsumer {
  private state: State = 'idle';
  private topics: string[] = [];
  private current: readonly TopicPartition[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly consumer: Consumer,
    private readonly options: ReturnType<typeof resolveConsumerOptions>,
    private readonly logger: Logger | undefined,
  ) {
    consumer.on(consumer.events.GROUP_JOIN, (event) => this.onJoin(event.payload.memberAssignment));
    consumer.on(consumer.events.CRASH, (event) => {
      const error = new StreamingError('STREAM_CONSUMER_CRASHED', `consumer ${options.groupId} crashed: ${event.payload.error.message}`, {
        cause: event.payload.error,
      });
      this.logger?.error({ groupId: options.groupId, restarting: event.payload.restart, err: error }, error.message);
      this.options.onCrash?.(error, event.payload.restart);
    });
  }

  async subscribe(topics: readonly string[], options: { readonly fromBeginning?: boolean } = {}): Promise<void> {
    if (this.state !== 'idle') {
      throw new StreamingError('STREAM_STATE_INVALID', `subscribe while ${this.state}`);
    }
    topics.forEach((topic) => requireNonBlank('topics', topic));
    try {
      await this.consumer.subscribe({ topics: [...topics], fromBeginning: options.fromBeginning ?? true });
    } catch (error) {
      throw wrapClientError('STREAM_CONNECT_FAILED', `subscribe to ${topics.join(', ')} failed`, error);
    }
    this.topics.push(...topics);
  }

  async run(handler: BatchHandler): Promise<void> {
    if (this.state !== 'idle' || this.topics.length === 0) {
      throw new StreamingError('STREAM_STATE_INVALID', `run: ${this.state === 'idle' ? 'nothing subscribed' : this.state}`);
    }
    this.state = 'running';
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.track(this.handleBatch(handler, payload)),
    });
  }

  pause(partitions: readonly TopicPartitions[]): void {
    this.consumer.pause(partitions.map((entry) => ({ topic: entry.topic, partitions: entry.partitions && [...entry.partitions] })));
  }

  resume(partitions: readonly TopicPartitions[]): void {
    this.consumer.resume(partitions.map((entry) => ({ topic: entry.topic, partitions: entry.partitions && [...entry.partitions] })));
  }

  assignment(): readonly TopicPartition[] {
    return this.current;
  }

  async commit(offsets: readonly CommitOffset[]): Promise<readonly CommitOffset[]> {
    const owned = offsets.filter((entry) => this.current.some((tp) => same(tp, entry)));
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
    if (this.state === 'running') {
      this.state = 'draining';
      this.pause(this.topics.map((topic) => ({ topic })));
    }
    await Promise.allSettled([...this.inFlight]);
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

  private onJoin(memberAssignment: Readonly<Record<string, readonly number[]>>): void {
    const next = Object.entries(memberAssignment).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })));
    const revoked = this.current.filter((a) => !next.some((b) => same(a, b)));
    const assigned = next.filter((a) => !this.current.some((b) => same(a, b)));
    this.current = next;
    this.logger?.info({ groupId: this.options.groupId, assigned, revoked }, 'consumer group joined');
    if (revoked.length > 0) {
      this.options.onPartitionsRevoked?.(revoked);
    }
    if (assigned.length > 0) {
      this.options.onPartitionsAssigned?.(assigned);
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

  private async handleBatch(handler: BatchHandler, payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.isEmpty() || this.state !== 'running') {
      return;
    }
    const isStale = (): boolean => payload.isStale() || !this.current.some((tp) => tp.topic === batch.topic && tp.partition === batch.partition);
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
      this.logger?.warn({ groupId: this.options.groupId, err: wrapped }, 'batch not handled; it will be redelivered');
      throw wrapped;
    }
    // Advances the fetch position only (autoCommit is off); the caller commits.
    payload.resolveOffset(batch.lastOffset());
  }
}

/**
 * Connects a {@link ManualCommitConsumer} (kafkajs, auto-commit off) with the same client and
 * consumer options as `KafkaJsClient`.
 * @throws StreamingError `STREAM_OPTIONS_INVALID`, `STREAM_CONNECT_FAILED`.
 */
export async function createManualCommitConsumer(client: KafkaClientOptions, options: ConsumerOptions): Promise<ManualCommitConsumer> {
  const c = resolveKafkaClientOptions(client);
  const resolved = resolveConsumerOptions(options);
  const kafka = new Kafka({
    brokers: [...c.brokers],
    clientId: c.clientId,
    connectionTimeout: c.connectionTimeoutMs,
    requestTimeout: c.requestTimeoutMs,
    retry: { retries: c.retries, initialRetryTime: c.initialRetryTimeMs, maxRetryTime: c.maxRetryTimeMs },
    logLevel: c.logger === undefined ? CLIENT_LOG_LEVELS.nothing : CLIENT_LOG_LEVELS[c.clientLogLevel],
    ...(c.logger === undefined ? {} : { logCreator: kafkaJsLogCreator(c.logger) }),
  });
  const consumer = kafka.consumer({
    groupId: resolved.groupId,
    sessionTimeout: resolved.sessionTimeoutMs,
    heartbeatInterval: resolved.heartbeatIntervalMs,
    maxBytesPerPartition: resolved.maxBytesPerPartition,
    maxWaitTimeInMs: resolved.maxWaitTimeMs,
    allowAutoTopicCreation: false,
  });
  try {
    await consumer.connect();
  } catch (error) {
    throw wrapClientError('STREAM_CONNECT_FAILED', `consumer ${resolved.groupId} could not connect`, error);
  }
  return new KafkaJsManualCommitConsumer(consumer, resolved, c.logger);
}
