import type { Logger } from '@metarec/runtime';
import { Kafka } from 'kafkajs';

import { CLIENT_LOG_LEVELS, kafkaJsLogCreator } from './log-creator.js';
import { resolveKafkaClientOptions, type KafkaClientOptions } from '../client-options.js';
import type { ConsumerOptions } from '../consumer-options.js';
import { KafkaJsConsumer } from './kafka-js-consumer.js';
import { KafkaJsProducer } from './kafka-js-producer.js';
import { KafkaJsTopicAdmin } from './kafka-js-topic-admin.js';
import type { EventConsumer } from '../event-consumer.js';
import type { EventProducer } from '../event-producer.js';
import type { ManualCommitConsumer } from '../manual-commit-consumer.js';
import type { TopicAdmin } from '../topic-admin.js';
import type { KafkaClient } from '../kafka-client.js';
import type { ProducerOptions } from '../producer-options.js';

/**
 * The kafkajs adapter of `KafkaClient` (obtain it through `createKafkaClient`). Each `create*`
 * validates its options before any I/O, connects, and returns a ready object that the caller
 * closes. The client itself holds no connection.
 */
export class KafkaJsClient implements KafkaClient {
  readonly kind = 'kafkajs';
  private readonly kafka: Kafka;
  private readonly logger: Logger | undefined;

  /** @throws StreamingError `STREAM_OPTIONS_INVALID` naming the bad option. */
  constructor(options: KafkaClientOptions) {
    const resolved = resolveKafkaClientOptions(options);
    this.logger = resolved.logger;
    this.kafka = new Kafka({
      brokers: [...resolved.brokers],
      clientId: resolved.clientId,
      connectionTimeout: resolved.connectionTimeoutMs,
      requestTimeout: resolved.requestTimeoutMs,
      retry: { retries: resolved.retries, initialRetryTime: resolved.initialRetryTimeMs, maxRetryTime: resolved.maxRetryTimeMs },
      logLevel: resolved.logger === undefined ? CLIENT_LOG_LEVELS.nothing : CLIENT_LOG_LEVELS[resolved.clientLogLevel],
      ...(resolved.logger === undefined ? {} : { logCreator: kafkaJsLogCreator(resolved.logger) }),
    });
  }

  /** A connected producer. @throws StreamingError `STREAM_OPTIONS_INVALID`, `STREAM_CONNECT_FAILED`. */
  createProducer(options: ProducerOptions = {}): Promise<EventProducer> {
    return KafkaJsProducer.connect(this.kafka, options);
  }

  /** A connected consumer; `subscribe` then `run` it. @throws StreamingError `STREAM_OPTIONS_INVALID`, `STREAM_CONNECT_FAILED`. */
  createConsumer(options: ConsumerOptions): Promise<EventConsumer> {
    return KafkaJsConsumer.connect(this.kafka, options, this.logger, 'after-batch');
  }

  /**
   * A connected consumer whose handled batches are committed only by its `commit` (for sinks that
   * buffer across batches and commit after their own flush).
   * @throws StreamingError `STREAM_OPTIONS_INVALID`, `STREAM_CONNECT_FAILED`.
   */
  createManualCommitConsumer(options: ConsumerOptions): Promise<ManualCommitConsumer> {
    return KafkaJsConsumer.connect(this.kafka, options, this.logger, 'manual');
  }

  /** A connected topic admin. @throws StreamingError `STREAM_CONNECT_FAILED`. */
  createTopicAdmin(): Promise<TopicAdmin> {
    return KafkaJsTopicAdmin.connect(this.kafka);
  }
}
