import type { ConsumedMessage, EventConsumer } from '../event-consumer.js';
import type { EventProducer, OutgoingMessage, SendReceipt } from '../event-producer.js';
import { StreamingError } from '../errors.js';
import type { ConsumerOptions } from '../consumer-options.js';
import { resolveConsumerOptions } from '../consumer-options.js';
import { validateTopicSpecs } from '../topic-specs.js';
import type { EnsureTopicsResult, PartitionOffsets, TopicAdmin, TopicSpec } from '../topic-admin.js';
import { InMemoryConsumer } from './in-memory-consumer.js';
import { InMemoryLog, partitionForKey } from './in-memory-log.js';

function toConsumed(topic: string, partition: number, offset: number, message: OutgoingMessage): ConsumedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    headers[name] = value.toString();
  }
  return {
    topic,
    partition,
    offset: BigInt(offset),
    key: message.key === null ? null : message.key.toString(),
    value: message.value === null ? null : Buffer.from(message.value),
    headers,
    timestampMs: message.timestampMs ?? Date.now(),
  };
}

/**
 * An in-process stand-in for a Kafka cluster, for unit tests of code written against
 * `EventProducer` / `EventConsumer` / `TopicAdmin`. It keeps the contracts that matter to callers:
 * topics must exist, one key maps to one partition, offsets grow per partition, a batch is
 * committed only after its handler resolves (a throwing handler gets the batch again), a group
 * resumes after its committed offset, pause stops delivery. It does not model rebalancing: a group
 * has at most one running member, assigned every partition. Same `create*` methods as
 * `KafkaJsClient`, so it can be passed wherever that is.
 */
export class InMemoryKafka {
  /** The shared state, for assertions (`handlerErrors`, `commits`). */
  readonly log = new InMemoryLog();
  private roundRobin = 0;

  /** All messages of a topic, partition by partition. */
  messages(topic: string): readonly ConsumedMessage[] {
    return (this.log.topics.get(topic) ?? []).flat();
  }

  async createProducer(): Promise<EventProducer> {
    let closed = false;
    return {
      send: async (topic, messages) => {
        if (closed) {
          throw new StreamingError('STREAM_STATE_INVALID', `send to ${topic} after close`);
        }
        return this.append(topic, messages);
      },
      close: async () => {
        closed = true;
      },
    };
  }

  async createConsumer(options: ConsumerOptions): Promise<EventConsumer> {
    return new InMemoryConsumer(this.log, resolveConsumerOptions(options));
  }

  async createTopicAdmin(): Promise<TopicAdmin> {
    const { log } = this;
    return {
      async ensureTopics(specs: readonly TopicSpec[]): Promise<EnsureTopicsResult> {
        validateTopicSpecs(specs);
        const existing = specs.filter((spec) => log.topics.has(spec.topic));
        for (const spec of existing) {
          const actual = log.topics.get(spec.topic)?.length ?? 0;
          if (actual !== spec.partitions) {
            throw new StreamingError('STREAM_TOPIC_MISMATCH', `topic ${spec.topic} has ${actual} partition(s), ${spec.partitions} required`);
          }
        }
        const created = specs.filter((spec) => !log.topics.has(spec.topic));
        created.forEach((spec) => log.topics.set(spec.topic, Array.from({ length: spec.partitions }, () => [])));
        return { created: created.map((spec) => spec.topic), existing: existing.map((spec) => spec.topic) };
      },
      listTopics: async () => [...log.topics.keys()],
      deleteTopics: async (topics) => {
        topics.forEach((topic) => log.topics.delete(topic));
      },
      endOffsets: async (topic): Promise<PartitionOffsets> =>
        new Map((log.topics.get(topic) ?? []).map((messages, partition) => [partition, BigInt(messages.length)])),
      topicConfigs: async (topic): Promise<ReadonlyMap<string, string>> => {
        if (!log.topics.has(topic)) {
          throw new StreamingError('STREAM_ADMIN_FAILED', `configs of topic ${topic}: topic does not exist`);
        }
        // Kafka's default limit; the in-memory log keeps no per-topic configs.
        return new Map([['max.message.bytes', '1048588']]);
      },
      committedOffsets: async (groupId, topic): Promise<PartitionOffsets> => {
        const result = new Map<number, bigint>();
        (log.topics.get(topic) ?? []).forEach((_, partition) => {
          const offset = log.committed(groupId, topic, partition);
          if (offset !== undefined) {
            result.set(partition, offset);
          }
        });
        return result;
      },
      close: async () => undefined,
    };
  }

  private append(topic: string, messages: readonly OutgoingMessage[]): SendReceipt[] {
    const partitions = this.log.topics.get(topic);
    if (partitions === undefined) {
      throw new StreamingError('STREAM_SEND_FAILED', `send of ${messages.length} message(s) to ${topic} failed: topic does not exist`);
    }
    const firstOffsets = new Map<number, bigint>();
    for (const message of messages) {
      const partition = this.partitionOf(message, partitions.length);
      const log = partitions[partition];
      if (log === undefined) {
        throw new StreamingError('STREAM_SEND_FAILED', `send to ${topic}: partition ${partition} does not exist`);
      }
      if (!firstOffsets.has(partition)) {
        firstOffsets.set(partition, BigInt(log.length));
      }
      log.push(toConsumed(topic, partition, log.length, message));
    }
    this.log.notifyAppend();
    return [...firstOffsets].map(([partition, baseOffset]) => ({ topic, partition, baseOffset }));
  }

  private partitionOf(message: OutgoingMessage, count: number): number {
    if (message.partition !== undefined) {
      return message.partition;
    }
    if (message.key !== null) {
      return partitionForKey(message.key, count);
    }
    this.roundRobin = (this.roundRobin + 1) % count;
    return this.roundRobin;
  }
}
