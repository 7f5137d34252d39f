import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';

import { ACKS, resolveProducerOptions, type ProducerOptions } from '../producer-options.js';

import type { EventProducer, OutgoingMessage, SendReceipt } from '../event-producer.js';
import { requireNonBlank, StreamingError, wrapClientError } from '../errors.js';

const COMPRESSION = { none: CompressionTypes.None, gzip: CompressionTypes.GZIP } as const;

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
