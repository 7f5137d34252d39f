import type { Admin, ConfigResourceTypes, Kafka } from 'kafkajs';

import { requireNonBlank, StreamingError, wrapClientError } from '../errors.js';
import { deleteTopicsWith, ensureTopicsWith, type TopicAdminCalls } from '../topic-admin-steps.js';
import type { EnsureTopicsResult, PartitionOffsets, TopicAdmin, TopicSpec } from '../topic-admin.js';

/**
 * The TOPIC resource type of DescribeConfigs. kafkajs's `ConfigResourceTypes` enum is not a named
 * export Node's ESM loader detects in its CommonJS build, so its value is spelled here.
 */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;
function offsetsMap(entries: readonly { partition: number; offset: string }[]): Map<number, bigint> {
  return new Map(entries.map((entry) => [entry.partition, BigInt(entry.offset)]));
}

/** `TopicAdmin` over the kafkajs admin client. Create it with `KafkaJsClient.createTopicAdmin`. */
export class KafkaJsTopicAdmin implements TopicAdmin {
  private closing: Promise<void> | undefined;

  /** The kafkajs calls behind the shared ensure/delete steps. */
  private readonly calls: TopicAdminCalls = {
    listTopics: () => this.listTopics(),
    checkPartitionCounts: (specs) => this.checkPartitionCounts(specs),
    createTopics: async (missing) => {
      try {
        await this.admin.createTopics({
          waitForLeaders: true,
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
        await this.checkPartitionCounts(missing);
      }
    },
    deleteTopics: async (topics) => {
      try {
        await this.admin.deleteTopics({ topics: [...topics] });
      } catch (error) {
        throw wrapClientError('STREAM_ADMIN_FAILED', `delete topics ${topics.join(', ')}`, error);
      }
    },
  };

  private constructor(private readonly admin: Admin) {}

  /** Connects and returns a ready admin. */
  static async connect(kafka: Kafka): Promise<KafkaJsTopicAdmin> {
    const admin = kafka.admin();
    try {
      await admin.connect();
    } catch (error) {
      throw wrapClientError('STREAM_CONNECT_FAILED', 'admin could not connect', error);
    }
    return new KafkaJsTopicAdmin(admin);
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
      return offsetsMap(await this.admin.fetchTopicOffsets(topic));
    } catch (error) {
      throw wrapClientError('STREAM_ADMIN_FAILED', `end offsets of ${topic}`, error);
    }
  }

  async topicConfigs(topic: string): Promise<ReadonlyMap<string, string>> {
    requireNonBlank('topic', topic);
    try {
      const described = await this.admin.describeConfigs({ resources: [{ type: TOPIC_RESOURCE, name: topic }], includeSynonyms: false });
      const entries = described.resources.find((resource) => resource.resourceName === topic)?.configEntries ?? [];
      return new Map(entries.map((entry) => [entry.configName, entry.configValue]));
    } catch (error) {
      throw wrapClientError('STREAM_ADMIN_FAILED', `configs of topic ${topic}`, error);
    }
  }

  async committedOffsets(groupId: string, topic: string): Promise<PartitionOffsets> {
    try {
      const [entry] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
      // kafkajs reports "-1" for a partition the group never committed.
      return offsetsMap((entry?.partitions ?? []).filter((partition) => partition.offset !== '-1'));
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
      const actual = metadata.topics.find((topic) => topic.name === spec.topic)?.partitions.length;
      if (actual !== spec.partitions) {
        throw new StreamingError(
          'STREAM_TOPIC_MISMATCH',
          `topic ${spec.topic} has ${actual ?? 0} partition(s), ${spec.partitions} required`,
        );
      }
    }
  }
}
