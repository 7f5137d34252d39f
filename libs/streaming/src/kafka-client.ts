import type { ConsumerOptions } from './consumer-options.js';
import type { EventConsumer } from './event-consumer.js';
import type { EventProducer } from './event-producer.js';
import type { ManualCommitConsumer } from './manual-commit-consumer.js';
import type { ProducerOptions } from './producer-options.js';
import type { TopicAdmin } from './topic-admin.js';

/** The Kafka client libraries metarec can run on; apps choose one with `KAFKA_CLIENT`. */
export const KAFKA_CLIENT_KINDS = ['kafkajs', 'platformatic', 'confluent'] as const;

/**
 * `kafkajs` (kafkajs 2.2.4, unmaintained), `platformatic` (`@platformatic/kafka`, pure JS),
 * `confluent` (`@confluentinc/kafka-javascript` over librdkafka; a native addon, optional).
 */
export type KafkaClientKind = (typeof KAFKA_CLIENT_KINDS)[number];

/**
 * The client used when none is chosen: `@platformatic/kafka`, maintained and passing every
 * integration test (exactly-once under kill -9, rebalance, dead letters, broker restart); kafkajs
 * stays selectable (`KAFKA_CLIENT=kafkajs`; ~1.3x its ingest throughput here, docs/results.md).
 */
export const DEFAULT_KAFKA_CLIENT_KIND: KafkaClientKind = 'platformatic';

/**
 * A factory for producers, consumers and topic admins over one Kafka client library. Each
 * `create*` validates its options before any I/O, connects, and returns a ready object that the
 * caller closes. Obtain one with `createKafkaClient`; nothing outside the adapters names a library.
 */
export interface KafkaClient {
  /** Which library backs this client. */
  readonly kind: KafkaClientKind;
  /** A connected producer. @throws StreamingError `STREAM_OPTIONS_INVALID`, `STREAM_CONNECT_FAILED`. */
  createProducer(options?: ProducerOptions): Promise<EventProducer>;
  /**
   * A connected consumer that commits each batch after its handler resolved; `subscribe` then `run` it.
   * @throws StreamingError `STREAM_OPTIONS_INVALID`, `STREAM_CONNECT_FAILED`.
   */
  createConsumer(options: ConsumerOptions): Promise<EventConsumer>;
  /**
   * A connected consumer whose handled batches are committed only by its `commit` (for sinks that
   * buffer across batches and commit after their own flush).
   * @throws StreamingError `STREAM_OPTIONS_INVALID`, `STREAM_CONNECT_FAILED`.
   */
  createManualCommitConsumer(options: ConsumerOptions): Promise<ManualCommitConsumer>;
  /** A connected topic admin. @throws StreamingError `STREAM_CONNECT_FAILED`. */
  createTopicAdmin(): Promise<TopicAdmin>;
}
