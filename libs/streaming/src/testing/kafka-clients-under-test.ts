import { parseKafkaClientKind } from '../create-kafka-client.js';
import { DEFAULT_KAFKA_CLIENT_KIND, KAFKA_CLIENT_KINDS, type KafkaClientKind } from '../kafka-client.js';

/**
 * The Kafka client libraries the integration tests run for, so each test is parameterised by
 * client: `KAFKA_CLIENTS` (comma-separated kinds, or `all`), else `KAFKA_CLIENT` (what the apps
 * read), else the default. CI runs the default; `KAFKA_CLIENTS=all` runs every adapter.
 * @throws StreamingError `STREAM_OPTIONS_INVALID` on an unknown kind.
 */
export function kafkaClientKindsUnderTest(env: Readonly<Record<string, string | undefined>> = process.env): readonly KafkaClientKind[] {
  const list = env['KAFKA_CLIENTS']?.trim() || env['KAFKA_CLIENT']?.trim() || DEFAULT_KAFKA_CLIENT_KIND;
  if (list === 'all') {
    return KAFKA_CLIENT_KINDS;
  }
  return [...new Set(list.split(',').map((kind) => kind.trim()).filter((kind) => kind.length > 0).map(parseKafkaClientKind))];
}
