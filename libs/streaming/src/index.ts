export type { StreamingErrorCode } from './errors.js';
export { StreamingError } from './errors.js';
export type { EventProducer, OutgoingMessage, SendReceipt } from './event-producer.js';
export type {
  BatchContext,
  BatchHandler,
  ConsumedMessage,
  EventConsumer,
  MessageBatch,
  TopicPartition,
  TopicPartitions,
} from './event-consumer.js';
export type { EnsureTopicsResult, PartitionOffsets, TopicAdmin, TopicSpec } from './topic-admin.js';
export type { ClientLogLevel, KafkaClientOptions } from './client-options.js';
export { parseBrokerList } from './client-options.js';
export type { ProducerOptions } from './producer-options.js';
export type { ConsumerOptions } from './consumer-options.js';
export type { CommitOffset, ManualCommitConsumer } from './manual-commit-consumer.js';
export type { KafkaClient, KafkaClientKind } from './kafka-client.js';
export { DEFAULT_KAFKA_CLIENT_KIND, KAFKA_CLIENT_KINDS } from './kafka-client.js';
export { createKafkaClient, parseKafkaClientKind, type CreateKafkaClientOptions } from './create-kafka-client.js';
