import { resolveKafkaClientOptions, type KafkaClientOptions } from './client-options.js';
import { invalidOption, StreamingError } from './errors.js';
import { DEFAULT_KAFKA_CLIENT_KIND, KAFKA_CLIENT_KINDS, type KafkaClient, type KafkaClientKind } from './kafka-client.js';

/** Options of `createKafkaClient`: the client options plus which library to use. */
export interface CreateKafkaClientOptions extends KafkaClientOptions {
  /** The client library. @defaultValue `DEFAULT_KAFKA_CLIENT_KIND` */
  readonly kind?: KafkaClientKind;
}

/** Throws `STREAM_OPTIONS_INVALID` unless `kind` names a client library metarec has an adapter for. */
export function parseKafkaClientKind(kind: string): KafkaClientKind {
  const found = KAFKA_CLIENT_KINDS.find((known) => known === kind);
  if (found === undefined) {
    throw invalidOption('kind', `"${kind}" is not one of ${KAFKA_CLIENT_KINDS.join(', ')}`);
  }
  return found;
}

/**
 * The `KafkaClient` of the chosen library. Adapters are imported on demand, so a process loads
 * only the library it uses (the librdkafka addon of `confluent` is optional and may be absent).
 * @throws StreamingError `STREAM_OPTIONS_INVALID` naming the bad option; `STREAM_CONNECT_FAILED`
 * when the chosen library is not installed.
 */
export async function createKafkaClient(options: CreateKafkaClientOptions): Promise<KafkaClient> {
  const { kind = DEFAULT_KAFKA_CLIENT_KIND, ...clientOptions } = options;
  parseKafkaClientKind(kind);
  // Validated here too, so a bad option fails before an adapter (and its library) is loaded.
  resolveKafkaClientOptions(clientOptions);
  try {
    switch (kind) {
      case 'kafkajs':
        return new (await import('./kafkajs/kafka-js-client.js')).KafkaJsClient(clientOptions);
      case 'platformatic':
        return new (await import('./platformatic/platformatic-client.js')).PlatformaticClient(clientOptions);
      case 'confluent':
        return new (await import('./confluent/confluent-client.js')).ConfluentClient(clientOptions);
    }
  } catch (error) {
    if (error instanceof StreamingError) {
      throw error;
    }
    throw new StreamingError('STREAM_CONNECT_FAILED', `Kafka client "${kind}" could not be loaded: ${String(error)}`, { cause: error });
  }
}
