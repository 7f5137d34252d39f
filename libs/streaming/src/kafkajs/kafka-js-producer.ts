import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';

import type { EventProducer, OutgoingMessage, SendReceipt } from '../event-producer.js';
import { invalidOption, requireInt, requireNonBlank, StreamingError, wrapClientError } from '../errors.js';

/** Options of `KafkaJsClient.createProducer`. */
export interface ProducerOptions {
  /**
   * Idempotent producer: the broker drops duplicates that client retries would otherwise write
   * (as the Java client does by default since Kafka 3.0). Implies acks from all in-sync replicas
   * and one request in flight per broker. Retries stay bounded by `KafkaClientOptions.retries`
   * (kafkajs has no delivery timeout): a send that still fails is reported as
   * `STREAM_SEND_FAILED`, and re-sending it may then write a duplicate. @defaultValue `true`
   */
  readonly idempotent?: boolean;
  /** `all` waits for every in-sync replica, `leader` for the leader only. @defaultValue `'all'` */
  readonly acks?: 'all' | 'leader';
  /** Batch compression; kafkajs ships only gzip without plugins. @defaultValue `'none'` */
  readonly compression?: 'none' | 'gzip';
  /** Broker-side time to wait for the acks, in ms. @defaultValue `30_000` */
  readonly ackTimeoutMs?: number;
}

/** Defaults laid under `ProducerOptions`. */
export const DEFAULT_PRODUCER_OPTIONS = {
  idempotent: true,
  acks: 'all',
  compression: 'none',
  ackTimeoutMs: 30_000,
} as const satisfies Required<ProducerOptions>;

const ACKS = { all: -1, leader: 1 } as const;
const COMPRESSION = { none: CompressionTypes.None, gzip: CompressionTypes.GZIP } as const;

/** Throws `STREAM_OPTIONS_INVALID` on a bad producer option; returns the merged options. */
export function resolveProducerOptions(options: ProducerOptions): Required<ProducerOptions> {
  const merged = { ...DEFAULT_PRODUCER_OPTIONS, ...options };
  if (!(merged.acks in ACKS)) {
    throw invalidOption('acks', `expected 'all' or 'leader', got "${String(merged.acks)}"`);
  }
  if (merged.idempotent && merged.acks !== 'all') {
    throw invalidOption('acks', "an idempotent producer needs acks 'all'");
  }
  if (!(merged.compression in COMPRESSION)) {
    throw invalidOption('compression', `expected 'none' or 'gzip', got "${String(merged.compression)}"`);
  }
  requireInt('ackTimeoutMs', merged.ackTimeoutMs, 1, 2_147_483_647);
  return merged;
}

/** `EventProducer` over a kafkajs producer. Create it with `KafkaJsClient.createProducer`. */
export class KafkaJsProducer implements EventProducer {
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly producer: Producer,
    private readonly options: Required<ProducerOptions>,
  ) {}

  /** Validates options, connects, and returns a ready producer. */
  static async connect(kafka: Kafka, options: ProducerOptions): Promise<KafkaJsProducer> {
    const resolved = resolveProducerOptions(options);
    const producer = kafka.producer({
      idempotent: resolved.idempotent,
      // Ordering and idempotence with kafkajs need a single in-flight request per broker.
      maxInFlightRequests: resolved.idempotent ? 1 : undefined,
      // murmur2 partitioning, the same as the Java client: a key lands on the same partition
      // whichever client produced it.
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    try {
      await producer.connect();
    } catch (error) {
      throw wrapClientError('STREAM_CONNECT_FAILED', 'producer could not connect', error);
    }
    return new KafkaJsProducer(producer, resolved);
  }

  async send(topic: string, messages: readonly OutgoingMessage[]): Promise<readonly SendReceipt[]> {
    if (this.closing !== undefined) {
      throw new StreamingError('STREAM_STATE_INVALID', `send to ${topic} after close`);
    }
    requireNonBlank('topic', topic);
    if (messages.length === 0) {
      return [];
    }
    try {
      const metadata = await this.producer.send({
        topic,
        acks: ACKS[this.options.acks],
        timeout: this.options.ackTimeoutMs,
        compression: COMPRESSION[this.options.compression],
        messages: messages.map((message) => ({
          key: message.key,
          value: message.value,
          headers: message.headers === undefined ? undefined : { ...message.headers },
          partition: message.partition,
          timestamp: message.timestampMs === undefined ? undefined : String(message.timestampMs),
        })),
      });
      return metadata.map((entry) => ({
        topic: entry.topicName,
        partition: entry.partition,
        baseOffset: BigInt(entry.baseOffset ?? entry.offset ?? '-1'),
      }));
    } catch (error) {
      throw wrapClientError('STREAM_SEND_FAILED', `send of ${messages.length} message(s) to ${topic} failed`, error);
    }
  }

  close(): Promise<void> {
    this.closing ??= this.producer.disconnect().catch((error: unknown) => {
      throw wrapClientError('STREAM_CONNECT_FAILED', 'producer disconnect failed', error);
    });
    return this.closing;
  }
}
