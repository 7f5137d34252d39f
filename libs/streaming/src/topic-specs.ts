import { requireInt, requireNonBlank, StreamingError } from './errors.js';
import type { TopicSpec } from './topic-admin.js';

/** Kafka's own limit on topic name length. */
const MAX_TOPIC_NAME_LENGTH = 249;
const TOPIC_NAME_PATTERN = /^[a-zA-Z0-9._-]+$/;

/** Throws `STREAM_OPTIONS_INVALID` on an invalid spec (bad name, partitions < 1, duplicates). */
export function validateTopicSpecs(specs: readonly TopicSpec[]): void {
  const seen = new Set<string>();
  for (const spec of specs) {
    requireNonBlank('topic', spec.topic);
    if (!TOPIC_NAME_PATTERN.test(spec.topic) || spec.topic.length > MAX_TOPIC_NAME_LENGTH) {
      throw new StreamingError('STREAM_OPTIONS_INVALID', `invalid option topic: "${spec.topic}" is not a legal topic name`);
    }
    if (seen.has(spec.topic)) {
      throw new StreamingError('STREAM_OPTIONS_INVALID', `invalid option topic: "${spec.topic}" listed twice`);
    }
    seen.add(spec.topic);
    requireInt(`partitions (${spec.topic})`, spec.partitions, 1, 10_000);
    requireInt(`replicationFactor (${spec.topic})`, spec.replicationFactor ?? 1, 1, 32);
  }
}
