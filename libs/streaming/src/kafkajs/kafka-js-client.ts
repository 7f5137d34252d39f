import type { Logger } from '@metarec/runtime';
import { Kafka } from 'kafkajs';

import { CLIENT_LOG_LEVELS, kafkaJsLogCreator, type ClientLogLevel } from './log-creator.js';
import { validateBrokers } from './client-options.js';
import type { ConsumerOptions } from './consumer-options.js';
import { KafkaJsConsumer } from './kafka-js-consumer.js';
import { KafkaJsProducer, type ProducerOptions } from './kafka-js-producer.js';
import { KafkaJsTopicAdmin } from './kafka-js-topic-admin.js';
import type { EventConsumer } from '../event-consumer.js';
import type { EventProducer } from '../event-producer.js';
import type { ManualCommitConsumer } from '../manual-commit-consumer.js';
import type { TopicAdmin } from '../topic-admin.js';
import { invalidOption, requireInt, requireNonBlank } from '../errors.js';

/** Options of `KafkaJsClient`. Times in ms. */
export interface KafkaClientOptions {
  /** Bootstrap brokers, `host:port` each (see `parseBrokerList` for `KAFKA_BROKERS` text). */
  readonly brokers: readonly string[];
  /** Client id sent to the brokers (quotas, logs), e.g. `'metarec-ingest'`. */
  readonly clientId: string;
  /** Receives kafkajs's logs; without one they are dropped (libs never print). */
  readonly logger?: Logger;
  /** kafkajs verbosity. @defaultValue `'warn'` */
  readonly clientLogLevel?: ClientLogLevel;
  /** TCP connect timeout. @defaultValue `3_000` */
  readonly connectionTimeoutMs?: number;
  /** Request timeout. @defaultValue `30_000` */
  readonly requestTimeoutMs?: number;
  /** Retries of a failed request (exponential backoff). @defaultValue `5` */
  readonly retries?: number;
  /** First backoff. @defaultValue `300` */
  readonly initialRetryTimeMs?: number;
  /** Backoff cap. @defaultValue `30_000` */
  readonly maxRetryTimeMs?: number;
}

/** Defaults laid under `KafkaClientOptions`. */
export const DEFAULT_KAFKA_CLIENT_OPTIONS = {
  clientLogLevel: 'warn',
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 30_000,
  retries: 5,
  initialRetryTimeMs: 300,
  maxRetryTimeMs: 30_000,
} as const satisfies Required<Omit<KafkaClientOptions, 'brokers' | 'clientId' | 'logger'>>;

type ResolvedClientOptions = KafkaClientOptions & Required<Omit<KafkaClientOptions, 'logger'>>;

/** Throws `STREAM_OPTIONS_INVALID` on a bad client option; returns the merged options. */
export function resolveKafkaClientOptions(options: KafkaClientOptions): ResolvedClientOptions {
  const merged = { ...DEFAULT_KAFKA_CLIENT_OPTIONS, ...options };
  validateBrokers(merged.brokers);
  requireNonBlank('clientId', merged.clientId);
  if (!(merged.clientLogLevel in CLIENT_LOG_LEVELS)) {
    throw invalidOption('clientLogLevel', `expected one of ${Object.keys(CLIENT_LOG_LEVELS).join(', ')}`);
  }
  requireInt('connectionTimeoutMs', merged.connectionTimeoutMs, 1, 600_000);
  requireInt('requestTimeoutMs', merged.requestTimeoutMs, 1, 600_000);
  requireInt('retries', merged.retries, 0, 1_000);
  requireInt('initialRetryTimeMs', merged.initialRetryTimeMs, 1, 600_000);
  requireInt('maxRetryTimeMs', merged.maxRetryTimeMs, merged.initialRetryTimeMs, 3_600_000);
  return merged;
}

/**
 * The one place metarec meets kafkajs: a factory for our `EventProducer`, `EventConsumer` and
 * `TopicAdmin`. Each `create*` validates its options before any I/O, connects, and returns a
 * ready object that the caller closes. The client itself holds no connection.
 */
export class KafkaJsClient {
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
