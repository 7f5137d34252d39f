import type { Logger } from '@metarec/runtime';

import { resolveKafkaClientOptions, type ClientLogLevel, type KafkaClientOptions } from '../client-options.js';
import type { ConsumerOptions } from '../consumer-options.js';
import type { EventConsumer } from '../event-consumer.js';
import type { EventProducer } from '../event-producer.js';
import type { KafkaClient } from '../kafka-client.js';
import type { ManualCommitConsumer } from '../manual-commit-consumer.js';
import type { ProducerOptions } from '../producer-options.js';
import type { TopicAdmin } from '../topic-admin.js';
import { ConfluentConsumer } from './confluent-consumer.js';
import { loadConfluent, type ConfluentKafka, type ConfluentLogger, type ConfluentModule } from './confluent-module.js';
import { ConfluentProducer } from './confluent-producer.js';
import { ConfluentTopicAdmin } from './confluent-topic-admin.js';

const LEVELS: Readonly<Record<ClientLogLevel, 'NOTHING' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG'>> = {
  nothing: 'NOTHING',
  error: 'ERROR',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBUG',
};

/** Routes the library's log lines into our structured logger. */
function confluentLogger(logger: Logger): ConfluentLogger {
  const child = logger.child({ component: 'confluent-kafka' });
  const adapter: ConfluentLogger = {
    info: (message, extra) => child.info(extra ?? {}, message),
    error: (message, extra) => child.error(extra ?? {}, message),
    warn: (message, extra) => child.warn(extra ?? {}, message),
    debug: (message, extra) => child.debug(extra ?? {}, message),
    namespace: () => adapter,
    setLogLevel: () => undefined,
  };
  return adapter;
}

/**
 * The `@confluentinc/kafka-javascript` adapter of `KafkaClient` (librdkafka through its
 * KafkaJS-compatible API; obtain it through `createKafkaClient`). The package is optional: its
 * native addon must have been built. Its admin has no DescribeConfigs, so `topicConfigs` fails.
 */
export class ConfluentClient implements KafkaClient {
  readonly kind = 'confluent';
  private readonly kafka: ConfluentKafka;
  private readonly logger: Logger | undefined;

  /** @throws StreamingError `STREAM_OPTIONS_INVALID`; `STREAM_CONNECT_FAILED` when the package is not installed. */
  constructor(options: KafkaClientOptions) {
    const resolved = resolveKafkaClientOptions(options);
    const module: ConfluentModule = loadConfluent();
    this.logger = resolved.logger;
    this.kafka = new module.KafkaJS.Kafka({
      kafkaJS: {
        brokers: [...resolved.brokers],
        clientId: resolved.clientId,
        connectionTimeout: resolved.connectionTimeoutMs,
        requestTimeout: resolved.requestTimeoutMs,
        retry: { retries: resolved.retries, initialRetryTime: resolved.initialRetryTimeMs, maxRetryTime: resolved.maxRetryTimeMs },
        logLevel: module.KafkaJS.logLevel[resolved.logger === undefined ? 'NOTHING' : LEVELS[resolved.clientLogLevel]],
        ...(resolved.logger === undefined ? {} : { logger: confluentLogger(resolved.logger) }),
      },
    });
  }

  createProducer(options: ProducerOptions = {}): Promise<EventProducer> {
    return ConfluentProducer.connect(this.kafka, options);
  }

  createConsumer(options: ConsumerOptions): Promise<EventConsumer> {
    return ConfluentConsumer.connect(this.kafka, options, this.logger, 'after-batch');
  }

  createManualCommitConsumer(options: ConsumerOptions): Promise<ManualCommitConsumer> {
    return ConfluentConsumer.connect(this.kafka, options, this.logger, 'manual');
  }

  createTopicAdmin(): Promise<TopicAdmin> {
    return ConfluentTopicAdmin.connect(this.kafka);
  }
}
