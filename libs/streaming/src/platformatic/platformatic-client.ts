import type { Logger } from '@metarec/runtime';

import { resolveKafkaClientOptions, type KafkaClientOptions, type ResolvedClientOptions } from '../client-options.js';
import type { ConsumerOptions } from '../consumer-options.js';
import type { EventConsumer } from '../event-consumer.js';
import type { EventProducer } from '../event-producer.js';
import type { KafkaClient } from '../kafka-client.js';
import type { ManualCommitConsumer } from '../manual-commit-consumer.js';
import type { ProducerOptions } from '../producer-options.js';
import type { TopicAdmin } from '../topic-admin.js';
import { PlatformaticConsumer } from './platformatic-consumer.js';
import { PlatformaticProducer } from './platformatic-producer.js';
import { PlatformaticTopicAdmin } from './platformatic-topic-admin.js';

/**
 * The `@platformatic/kafka` adapter of `KafkaClient` (pure JS; obtain it through
 * `createKafkaClient`). The library logs through `debug` (`DEBUG=plt:kafka*`), not our logger;
 * the adapter logs its own group and redelivery events to `logger`.
 */
export class PlatformaticClient implements KafkaClient {
  readonly kind = 'platformatic';
  private readonly options: ResolvedClientOptions;
  private readonly logger: Logger | undefined;

  /** @throws StreamingError `STREAM_OPTIONS_INVALID` naming the bad option. */
  constructor(options: KafkaClientOptions) {
    this.options = resolveKafkaClientOptions(options);
    this.logger = options.logger;
  }

  createProducer(options: ProducerOptions = {}): Promise<EventProducer> {
    return PlatformaticProducer.connect(this.options, options);
  }

  createConsumer(options: ConsumerOptions): Promise<EventConsumer> {
    return PlatformaticConsumer.connect(this.options, options, this.logger, 'after-batch');
  }

  createManualCommitConsumer(options: ConsumerOptions): Promise<ManualCommitConsumer> {
    return PlatformaticConsumer.connect(this.options, options, this.logger, 'manual');
  }

  createTopicAdmin(): Promise<TopicAdmin> {
    return PlatformaticTopicAdmin.connect(this.options);
  }
}
