import { Admin, ConfigResourceTypes } from '@platformatic/kafka';

import type { ResolvedClientOptions } from '../client-options.js';
import { requireNonBlank, StreamingError } from '../errors.js';
import type { EnsureTopicsResult, PartitionOffsets, TopicAdmin, TopicSpec } from '../topic-admin.js';
import { deleteTopicsWith, ensureTopicsWith, type TopicAdminCalls } from '../topic-admin-steps.js';
import { describePlatformaticError, platformaticBaseOptions, wrapPlatformaticError } from './base-options.js';

/** ListOffsets' timestamp meaning "the log end". */
const LATEST_TIMESTAMP = -1n;

/** `TopicAdmin` over the `@platformatic/kafka` admin client. Create it with `PlatformaticClient.createTopicAdmin`. */
export class PlatformaticTopicAdmin implements TopicAdmin {
  private closing: Promise<void> | undefined;

  /** The @platformatic/kafka calls behind the shared ensure/delete steps. */
  private readonly calls: TopicAdminCalls = {
    listTopics: () => this.listTopics(),
    checkPartitionCounts: (specs) => this.checkPartitionCounts(specs),
    createTopics: async (missing) => {
      // One CreateTopics request per distinct (partitions, replicas, configs): the library takes them per request.
      const groups = new Map<string, TopicSpec[]>();
      for (const spec of missing) {
        const key = JSON.stringify([spec.partitions, spec.replicationFactor ?? 1, Object.entries(spec.configs ?? {}).sort()]);
        groups.set(key, [...(groups.get(key) ?? []), spec]);
      }
      for (const [first, ...rest] of groups.values()) {
        if (first === undefined) {
          continue;
        }
        const topics = [first, ...rest].map((spec) => spec.topic);
        try {
          await this.admin.createTopics({
            topics,
            partitions: first.partitions,
            replicas: first.replicationFactor ?? 1,
            configs: Object.entries(first.configs ?? {}).map(([name, value]) => ({ name, value })),
          });
        } catch (error) {
          // Another process may have created one between our list and create: re-check, don't fail.
          if (!/already exists/i.test(describePlatformaticError(error))) {
            throw wrapPlatformaticError('STREAM_ADMIN_FAILED', `create topics ${topics.join(', ')}`, error);
          }
        }
      }
      // Creation returns before every leader is elected; wait for them as kafkajs's waitForLeaders does.
      await this.waitForLeaders(missing);
    },
    deleteTopics: async (topics) => {
      try {
        await this.admin.deleteTopics({ topics: [...topics] });
      } catch (error) {
        throw wrapPlatformaticError('STREAM_ADMIN_FAILED', `delete topics ${topics.join(', ')}`, error);
      }
    },
  };

  private constructor(private readonly admin: Admin) {}

  /** Connects (a metadata round trip) and returns a ready admin. */
  static async connect(client: ResolvedClientOptions): Promise<PlatformaticTopicAdmin> {
    const admin = new Admin(platformaticBaseOptions(client));
    try {
      await admin.metadata({ topics: [] });
    } catch (error) {
      await admin.close().catch(() => undefined);
      throw wrapPlatformaticError('STREAM_CONNECT_FAILED', 'admin could not connect', error);
    }
    return new PlatformaticTopicAdmin(admin);
  }

  ensureTopics(specs: readonly TopicSpec[]): Promise<EnsureTopicsResult> {
    return ensureTopicsWith(this.calls, specs);
  }

  async listTopics(): Promise<readonly string[]> {
    try {
      return (await this.admin.listTopics({ includeInternals: false })).filter((topic) => !topic.startsWith('__'));
    } catch (error) {
      throw wrapPlatformaticError('STREAM_ADMIN_FAILED', 'list topics', error);
    }
  }

  deleteTopics(topics: readonly string[]): Promise<void> {
    return deleteTopicsWith(this.calls, topics);
  }

  async endOffsets(topic: string): Promise<PartitionOffsets> {
    try {
      const count = await this.partitionCount(topic);
      const partitions = Array.from({ length: count }, (_, partitionIndex) => ({ partitionIndex, timestamp: LATEST_TIMESTAMP }));
      const [listed] = await this.admin.listOffsets({ topics: [{ name: topic, partitions }] });
      return new Map((listed?.partitions ?? []).map((entry) => [entry.partitionIndex, entry.offset]));
    } catch (error) {
      throw wrapPlatformaticError('STREAM_ADMIN_FAILED', `end offsets of ${topic}`, error);
    }
  }

  async topicConfigs(topic: string): Promise<ReadonlyMap<string, string>> {
    requireNonBlank('topic', topic);
    try {
      const described = await this.admin.describeConfigs({ resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: topic }], includeSynonyms: false });
      const configs = described.find((resource) => resource.resourceName === topic)?.configs ?? [];
      return new Map(configs.flatMap((entry) => (typeof entry.value === 'string' ? [[entry.name, entry.value] as const] : [])));
    } catch (error) {
      throw wrapPlatformaticError('STREAM_ADMIN_FAILED', `configs of topic ${topic}`, error);
    }
  }

  async committedOffsets(groupId: string, topic: string): Promise<PartitionOffsets> {
    try {
      const count = await this.partitionCount(topic);
      const partitionIndexes = Array.from({ length: count }, (_, index) => index);
      const groups = await this.admin.listConsumerGroupOffsets({ groups: [{ groupId, topics: [{ name: topic, partitionIndexes }] }] });
      const partitions = groups.find((group) => group.groupId === groupId)?.topics.find((entry) => entry.name === topic)?.partitions ?? [];
      // The broker reports -1 for a partition the group never committed.
      return new Map(partitions.filter((entry) => entry.committedOffset >= 0n).map((entry) => [entry.partitionIndex, entry.committedOffset]));
    } catch (error) {
      throw wrapPlatformaticError('STREAM_ADMIN_FAILED', `committed offsets of ${groupId} on ${topic}`, error);
    }
  }

  close(): Promise<void> {
    this.closing ??= this.admin.close().catch((error: unknown) => {
      throw wrapPlatformaticError('STREAM_CONNECT_FAILED', 'admin disconnect failed', error);
    });
    return this.closing;
  }

  private async partitionCount(topic: string): Promise<number> {
    const metadata = await this.admin.metadata({ topics: [topic], forceUpdate: true });
    const count = metadata.topics.get(topic)?.partitionsCount;
    if (count === undefined) {
      throw new StreamingError('STREAM_ADMIN_FAILED', `topic ${topic} does not exist`);
    }
    return count;
  }

  private async checkPartitionCounts(specs: readonly TopicSpec[]): Promise<void> {
    if (specs.length === 0) {
      return;
    }
    let metadata;
    try {
      metadata = await this.admin.metadata({ topics: specs.map((spec) => spec.topic), forceUpdate: true });
    } catch (error) {
      throw wrapPlatformaticError('STREAM_ADMIN_FAILED', 'fetch topic metadata', error);
    }
    for (const spec of specs) {
      const actual = metadata.topics.get(spec.topic)?.partitionsCount;
      if (actual !== spec.partitions) {
        throw new StreamingError('STREAM_TOPIC_MISMATCH', `topic ${spec.topic} has ${actual ?? 0} partition(s), ${spec.partitions} required`);
      }
    }
  }

  private async waitForLeaders(specs: readonly TopicSpec[], timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let lastError: unknown;
      try {
        await this.checkPartitionCounts(specs);
        const metadata = await this.admin.metadata({ topics: specs.map((spec) => spec.topic), forceUpdate: true });
        if (specs.every((spec) => metadata.topics.get(spec.topic)?.partitions.every((partition) => partition.leader >= 0) === true)) {
          return;
        }
      } catch (error) {
        lastError = error;
      }
      if (Date.now() > deadline) {
        throw wrapPlatformaticError('STREAM_ADMIN_FAILED', `created topics have no leaders after ${timeoutMs} ms`, lastError ?? 'no leader');
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

