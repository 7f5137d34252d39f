import type { EnsureTopicsResult, TopicSpec } from './topic-admin.js';
import { validateTopicSpecs } from './topic-specs.js';

/** The library calls an adapter lends to {@link ensureTopicsWith} and {@link deleteTopicsWith}. */
export interface TopicAdminCalls {
  /** Non-internal topic names. */
  listTopics(): Promise<readonly string[]>;
  /** @throws StreamingError `STREAM_TOPIC_MISMATCH` when a topic's partition count differs from its spec. */
  checkPartitionCounts(specs: readonly TopicSpec[]): Promise<void>;
  /** Creates the topics (tolerating one created meanwhile by another process) and returns once they have leaders. */
  createTopics(specs: readonly TopicSpec[]): Promise<void>;
  /** Deletes topics known to exist. */
  deleteTopics(topics: readonly string[]): Promise<void>;
}

/**
 * `TopicAdmin.ensureTopics`, the same for every client: validate the specs, check the partition
 * counts of the topics that exist (keys must keep hashing to the same partitions), create the rest.
 */
export async function ensureTopicsWith(calls: TopicAdminCalls, specs: readonly TopicSpec[]): Promise<EnsureTopicsResult> {
  validateTopicSpecs(specs);
  const existingNames = new Set(await calls.listTopics());
  const existing = specs.filter((spec) => existingNames.has(spec.topic));
  const missing = specs.filter((spec) => !existingNames.has(spec.topic));
  await calls.checkPartitionCounts(existing);
  if (missing.length > 0) {
    await calls.createTopics(missing);
  }
  return { created: missing.map((spec) => spec.topic), existing: existing.map((spec) => spec.topic) };
}

/** `TopicAdmin.deleteTopics`, the same for every client: topics that do not exist are ignored. */
export async function deleteTopicsWith(calls: TopicAdminCalls, topics: readonly string[]): Promise<void> {
  const present = new Set(await calls.listTopics());
  const toDelete = topics.filter((topic) => present.has(topic));
  if (toDelete.length > 0) {
    await calls.deleteTopics(toDelete);
  }
}
