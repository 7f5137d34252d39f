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
export type { KafkaClientOptions } from './kafkajs/kafka-js-client.js';
export { KafkaJsClient } from './kafkajs/kafka-js-client.js';
export type { ProducerOptions } from './kafkajs/kafka-js-producer.js';
export type { ConsumerOptions } from './kafkajs/consumer-options.js';
export type { ClientLogLevel } from './kafkajs/log-creator.js';
export { parseBrokerList } from './kafkajs/client-options.js';
export { createManualCommitConsumer, type CommitOffset, type ManualCommitConsumer } from './manual-commit-consumer.js';
