import { requireNonBlank, StreamingError, wrapClientError } from '../errors.js';
import type { EnsureTopicsResult, PartitionOffsets, TopicAdmin, TopicSpec } from '../topic-admin.js';
import { deleteTopicsWith, ensureTopicsWith, type TopicAdminCalls } from '../topic-admin-steps.js';
import type { ConfluentAdmin, ConfluentKafka } from './confluent-module.js';

/** `TopicAdmin` over librdkafka's admin client. Create it with `ConfluentClient.createTopicAdmin`. */
export class ConfluentTopicAdmin implements TopicAdmin {
  private closing: Promise<void> | undefined;

  /** The librdkafka calls behind the shared ensure/delete steps. */
  private readonly calls: TopicAdminCalls = {
    listTopics: () => this.listTopics(),
    checkPartitionCounts: (specs) => this.checkPartitionCounts(specs),
    createTopics: async (missing) => {
      try {
        await this.admin.createTopics({
          topics: missing.map((spec) => ({
            topic: spec.topic,
            numPartitions: spec.partitions,
            replicationFactor: spec.replicationFactor ?? 1,
            configEntries: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })),
          })),
        });
      } catch (error) {
        // Another process may have created it between our list and create: re-check, don't fail.
        if (!(error instanceof Error && /already exists/i.test(error.message))) {
          throw wrapClientError('STREAM_ADMIN_FAILED', `create topics ${missing.map((spec) => spec.topic).join(', ')}`, error);
        }
      }
      await this.waitForLeaders(missing);
    },
    deleteTopics: async (topics) => {
      try {
        await this.admin.deleteTopics({ topics: [...topics] });
      } catch (error) {
        throw wrapClientError('STREAM_ADMIN_FAILED', `delete topics ${topics.join(', ')}`, error);
      }
    },
  };

  private constructor(private readonly admin: ConfluentAdmin) {}

  /** Connects and returns a ready admin. */
  static async connect(kafka: ConfluentKafka): Promise<ConfluentTopicAdmin> {
    const admin = kafka.admin();
    try {
      await admin.connect();
    } catch (error) {
      throw wrapClientError('STREAM_CONNECT_FAILED', 'admin could not connect', error);
    }
    return new ConfluentTopicAdmin(admin);
  }

  ensureTopics(specs: readonly TopicSpec[]): Promise<EnsureTopicsResult> {
    return ensureTopicsWith(this.calls, specs);
  }

  async listTopics(): Promise<readonly string[]> {
    try {
      return (await this.admin.listTopics()).filter((topic) => !topic.startsWith('__'));
    } catch (error) {
      throw wrapClientError('STREAM_ADMIN_FAILED', 'list topics', error);
    }
  }

  deleteTopics(topics: readonly string[]): Promise<void> {
    return deleteTopicsWith(this.calls, topics);
  }

  async endOffsets(topic: string): Promise<PartitionOffsets> {
    try {
      return new Map((await this.admin.fetchTopicOffsets(topic)).map((entry) => [entry.partition, BigInt(entry.high)]));
    } catch (error) {
      throw wrapClientError('STREAM_ADMIN_FAILED', `end offsets of ${topic}`, error);
    }
  }

  topicConfigs(topic: string): Promise<ReadonlyMap<string, string>> {
    requireNonBlank('topic', topic);
    // @confluentinc/kafka-javascript 1.10 binds no DescribeConfigs (neither its KafkaJS nor its
    // node-rdkafka admin), so a topic's max.message.bytes cannot be read through it.
    return Promise.reject(new StreamingError('STREAM_ADMIN_FAILED', `configs of topic ${topic}: DescribeConfigs is not available in @confluentinc/kafka-javascript`));
  }

  async committedOffsets(groupId: string, topic: string): Promise<PartitionOffsets> {
    try {
      const [entry] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
      // "-1" marks a partition the group never committed.
      return new Map((entry?.partitions ?? []).filter((partition) => partition.offset !== '-1').map((partition) => [partition.partition, BigInt(partition.offset)]));
    } catch (error) {
      throw wrapClientError('STREAM_ADMIN_FAILED', `committed offsets of ${groupId} on ${topic}`, error);
    }
  }

  close(): Promise<void> {
    this.closing ??= this.admin.disconnect().catch((error: unknown) => {
      throw wrapClientError('STREAM_CONNECT_FAILED', 'admin disconnect failed', error);
    });
    return this.closing;
  }

  private async checkPartitionCounts(specs: readonly TopicSpec[]): Promise<void> {
    if (specs.length === 0) {
      return;
    }
    let metadata;
    try {
      metadata = await this.admin.fetchTopicMetadata({ topics: specs.map((spec) => spec.topic) });
    } catch (error) {
      throw wrapClientError('STREAM_ADMIN_FAILED', 'fetch topic metadata', error);
    }
    for (const spec of specs) {
      const actual = metadata.find((topic) => topic.name === spec.topic)?.partitions.length;
      if (actual !== spec.partitions) {
        throw new StreamingError('STREAM_TOPIC_MISMATCH', `topic ${spec.topic} has ${actual ?? 0} partition(s), ${spec.partitions} required`);
      }
    }
  }

  /** createTopics returns before the leaders are elected (no waitForLeaders here): poll the metadata. */
  private async waitForLeaders(specs: readonly TopicSpec[], timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown = 'no leader';
    while (Date.now() < deadline) {
      try {
        const metadata = await this.admin.fetchTopicMetadata({ topics: specs.map((spec) => spec.topic) });
        const ready = specs.every((spec) => {
          const partitions = metadata.find((topic) => topic.name === spec.topic)?.partitions ?? [];
          return partitions.length === spec.partitions && partitions.every((partition) => partition.leader >= 0);
        });
        if (ready) {
          return;
        }
      } catch (error) {
        lastError = error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw wrapClientError('STREAM_ADMIN_FAILED', `created topics have no leaders after ${timeoutMs} ms`, lastError);
  }
}
