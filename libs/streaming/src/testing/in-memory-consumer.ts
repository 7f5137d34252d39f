import type { BatchHandler, ConsumedMessage, EventConsumer, TopicPartition, TopicPartitions } from '../event-consumer.js';
import { StreamingError } from '../errors.js';
import type { ConsumerOptions } from '../consumer-options.js';
import type { InMemoryLog } from './in-memory-log.js';

/** Messages per delivered batch. */
const MAX_BATCH_MESSAGES = 100;
/** Pause before redelivering a batch whose handler threw. */
const REDELIVERY_DELAY_MS = 10;
/** Longest idle wait between polls; appends wake the consumer earlier. */
const IDLE_POLL_MS = 50;

type State = 'idle' | 'running' | 'closing' | 'closed';

const key = (topic: string, partition: number): string => `${topic}:${partition}`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `EventConsumer` over an `InMemoryLog`: same commit-after-handler contract as the Kafka one. */
export class InMemoryConsumer implements EventConsumer {
  private state: State = 'idle';
  private readonly subscriptions: { topic: string; fromBeginning: boolean }[] = [];
  private readonly positions = new Map<string, bigint>();
  private readonly paused = new Set<string>();
  private current: TopicPartition[] = [];
  private loop: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly log: InMemoryLog,
    private readonly options: ConsumerOptions,
  ) {}

  async subscribe(topics: readonly string[], options: { readonly fromBeginning?: boolean } = {}): Promise<void> {
    if (this.state !== 'idle') {
      throw new StreamingError('STREAM_STATE_INVALID', `subscribe while ${this.state}`);
    }
    for (const topic of topics) {
      if (!this.log.topics.has(topic)) {
        throw new StreamingError('STREAM_CONNECT_FAILED', `subscribe to ${topic} failed: topic does not exist`);
      }
      this.subscriptions.push({ topic, fromBeginning: options.fromBeginning ?? true });
    }
  }

  async run(handler: BatchHandler): Promise<void> {
    if (this.state !== 'idle' || this.subscriptions.length === 0) {
      throw new StreamingError('STREAM_STATE_INVALID', `run: ${this.state === 'idle' ? 'nothing subscribed' : this.state}`);
    }
    if (this.log.activeGroups.has(this.options.groupId)) {
      throw new StreamingError('STREAM_STATE_INVALID', `group ${this.options.groupId} already has a member (in-memory: one per group)`);
    }
    this.log.activeGroups.add(this.options.groupId);
    this.state = 'running';
    this.assignAll();
    this.loop = this.consume(handler);
  }

  pause(partitions: readonly TopicPartitions[]): void {
    this.expand(partitions).forEach((tp) => this.paused.add(key(tp.topic, tp.partition)));
  }

  resume(partitions: readonly TopicPartitions[]): void {
    this.expand(partitions).forEach((tp) => this.paused.delete(key(tp.topic, tp.partition)));
    this.log.notifyAppend();
  }

  assignment(): readonly TopicPartition[] {
    return this.current;
  }

  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    const wasRunning = this.state === 'running';
    this.state = 'closing';
    this.log.notifyAppend();
    await this.loop;
    if (wasRunning) {
      this.log.activeGroups.delete(this.options.groupId);
    }
    this.state = 'closed';
    const revoked = this.current;
    this.current = [];
    if (revoked.length > 0) {
      this.options.onPartitionsRevoked?.(revoked);
    }
  }

  private assignAll(): void {
    for (const { topic, fromBeginning } of this.subscriptions) {
      const partitions = this.log.topics.get(topic) ?? [];
      partitions.forEach((messages, partition) => {
        const start = this.log.committed(this.options.groupId, topic, partition) ?? (fromBeginning ? 0n : BigInt(messages.length));
        this.positions.set(key(topic, partition), start);
        this.current.push({ topic, partition });
      });
    }
    this.options.onPartitionsAssigned?.(this.current);
  }

  private expand(partitions: readonly TopicPartitions[]): TopicPartition[] {
    return partitions.flatMap(({ topic, partitions: only }) =>
      this.current.filter((tp) => tp.topic === topic && (only === undefined || only.includes(tp.partition))),
    );
  }

  private nextBatch(): { tp: TopicPartition; messages: ConsumedMessage[]; end: bigint } | undefined {
    for (const tp of this.current) {
      const id = key(tp.topic, tp.partition);
      const log = this.log.topics.get(tp.topic)?.[tp.partition];
      const position = this.positions.get(id) ?? 0n;
      if (log === undefined || this.paused.has(id) || position >= BigInt(log.length)) {
        continue;
      }
      const messages = log.slice(Number(position), Number(position) + MAX_BATCH_MESSAGES);
      return { tp, messages, end: BigInt(log.length) };
    }
    return undefined;
  }

  private async consume(handler: BatchHandler): Promise<void> {
    while (this.state === 'running') {
      const batch = this.nextBatch();
      if (batch === undefined) {
        await this.log.nextAppend(IDLE_POLL_MS);
        continue;
      }
      const { tp, messages, end } = batch;
      try {
        await handler(
          { topic: tp.topic, partition: tp.partition, messages, highWatermark: end },
          { heartbeat: async () => undefined, isStale: () => false },
        );
      } catch (error) {
        // Same contract as Kafka: not committed, delivered again after a pause.
        this.log.handlerErrors.push(error);
        await sleep(REDELIVERY_DELAY_MS);
        continue;
      }
      const next = (messages[messages.length - 1]?.offset ?? -1n) + 1n;
      this.positions.set(key(tp.topic, tp.partition), next);
      this.log.commit(this.options.groupId, tp.topic, tp.partition, next);
    }
  }
}
