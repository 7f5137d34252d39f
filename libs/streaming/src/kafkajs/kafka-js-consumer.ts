import type { Logger } from '@metarec/runtime';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';

import type { BatchHandler, ConsumedMessage, EventConsumer, TopicPartition, TopicPartitions } from '../event-consumer.js';
import { requireNonBlank, StreamingError, wrapClientError } from '../errors.js';
import type { CommitOffset, ManualCommitConsumer } from '../manual-commit-consumer.js';
import { resolveConsumerOptions, type CommitMode, type ConsumerOptions, type ResolvedConsumerOptions } from '../consumer-options.js';

type ConsumerState =
  | { readonly status: 'idle'; readonly topics: readonly string[] }
  | { readonly status: 'running'; readonly topics: readonly string[] }
  | { readonly status: 'draining'; readonly topics: readonly string[] }
  | { readonly status: 'closed' };


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

function flatten(assignment: Readonly<Record<string, readonly number[]>>): TopicPartition[] {
  return Object.entries(assignment).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })));
}

function minus(left: readonly TopicPartition[], right: readonly TopicPartition[]): TopicPartition[] {
  return left.filter((a) => !right.some((b) => a.topic === b.topic && a.partition === b.partition));
}

/**
 * `EventConsumer` and `ManualCommitConsumer` over a kafkajs consumer with kafkajs's auto-commit
 * off. In `after-batch` mode the offset after a batch's last message is committed once its
 * handler resolved; in `manual` mode only `commit` commits. Either way a throwing handler leaves
 * the batch unresolved and kafkajs redelivers it after a backoff. Create it with
 * `KafkaJsClient.createConsumer` / `createManualCommitConsumer`.
 */
export class KafkaJsConsumer implements EventConsumer, ManualCommitConsumer {
  private state: ConsumerState = { status: 'idle', topics: [] };
  private current: readonly TopicPartition[] = [];
  private closing: Promise<void> | undefined;
  /** Batches being handled or committed; `close()` waits for them (kafkajs's stop does not). */
  private readonly inFlight = new Set<Promise<void>>();

  private constructor(
    private readonly consumer: Consumer,
    private readonly options: ResolvedConsumerOptions,
    private readonly logger: Logger | undefined,
    private readonly commitMode: CommitMode,
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

  /** Validates options, connects, and returns a consumer ready to `subscribe`. */
  static async connect(kafka: Kafka, options: ConsumerOptions, logger: Logger | undefined, commitMode: CommitMode): Promise<KafkaJsConsumer> {
    const resolved = resolveConsumerOptions(options);
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
    return new KafkaJsConsumer(consumer, resolved, logger, commitMode);
  }

  async subscribe(topics: readonly string[], options: { readonly fromBeginning?: boolean } = {}): Promise<void> {
    if (this.state.status !== 'idle') {
      throw new StreamingError('STREAM_STATE_INVALID', `subscribe while ${this.state.status}`);
    }
    topics.forEach((topic) => requireNonBlank('topics', topic));
    try {
      await this.consumer.subscribe({ topics: [...topics], fromBeginning: options.fromBeginning ?? true });
    } catch (error) {
      throw wrapClientError('STREAM_CONNECT_FAILED', `subscribe to ${topics.join(', ')} failed`, error);
    }
    this.state = { status: 'idle', topics: [...this.state.topics, ...topics] };
  }

  async run(handler: BatchHandler): Promise<void> {
    if (this.state.status !== 'idle' || this.state.topics.length === 0) {
      const why = this.state.status === 'idle' ? 'nothing subscribed' : this.state.status;
      throw new StreamingError('STREAM_STATE_INVALID', `run: ${why}`);
    }
    this.state = { status: 'running', topics: this.state.topics };
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
    // Only partitions we still own: kafkajs would send a lost partition's commit with the new
    // generation and overwrite its new owner's progress.
    const owned = offsets.filter((entry) => this.isAssigned(entry.topic, entry.partition));
    if (owned.length === 0 || this.state.status === 'closed' || this.state.status === 'idle') {
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
    if (this.state.status === 'running') {
      this.state = { status: 'draining', topics: this.state.topics };
      this.pause(this.state.topics.map((topic) => ({ topic })));
    }
    // kafkajs's stop() can return while an eachBatch callback still awaits; wait for them here
    // so their commits (after-batch mode) or the caller's (manual mode) are not lost.
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
      this.state = { status: 'closed' };
      const revoked = this.current;
      this.current = [];
      if (revoked.length > 0) {
        this.options.onPartitionsRevoked?.(revoked);
      }
    }
  }

  private onJoin(memberAssignment: Readonly<Record<string, readonly number[]>>): void {
    const next = flatten(memberAssignment);
    const revoked = minus(this.current, next);
    const assigned = minus(next, this.current);
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

  private isAssigned(topic: string, partition: number): boolean {
    return this.current.some((entry) => entry.topic === topic && entry.partition === partition);
  }

  private async handleBatch(handler: BatchHandler, payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    // Closing: leave the batch uncommitted (the next owner re-reads it) rather than start work.
    if (batch.isEmpty() || this.state.status !== 'running') {
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
      // retriable: kafkajs then retries the batch with backoff and restarts the consumer after
      // its retries, instead of stopping it for good on the first failure.
      const wrapped = new StreamingError('STREAM_HANDLER_FAILED', `handler failed on ${batch.topic}[${batch.partition}] at ${batch.firstOffset()}: ${String(error)}`, {
        cause: error,
        retriable: true,
      });
      this.logger?.warn({ groupId: this.options.groupId, err: wrapped }, 'batch not committed; it will be redelivered');
      throw wrapped;
    }
    if (isStale()) {
      // A rebalance moved the partition while we worked; the new owner re-reads from the last commit.
      this.logger?.warn({ topic: batch.topic, partition: batch.partition }, 'stale batch not committed');
      return;
    }
    const lastOffset = batch.lastOffset();
    payload.resolveOffset(lastOffset);
    if (this.commitMode === 'manual') {
      return;
    }
    try {
      await this.consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(lastOffset) + 1n).toString() },
      ]);
    } catch (error) {
      throw wrapClientError('STREAM_COMMIT_FAILED', `commit of ${batch.topic}[${batch.partition}] at ${lastOffset} failed`, error);
    }
  }
}
