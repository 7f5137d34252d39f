import type { EventProducer, OutgoingMessage, SendReceipt } from '../event-producer.js';
import { requireNonBlank, StreamingError, wrapClientError } from '../errors.js';
import { ACKS, resolveProducerOptions, type ProducerOptions } from '../producer-options.js';
import type { ConfluentKafka, ConfluentProducer as Producer } from './confluent-module.js';

/** `EventProducer` over a librdkafka producer. Create it with `ConfluentClient.createProducer`. */
export class ConfluentProducer implements EventProducer {
  private closing: Promise<void> | undefined;

  private constructor(private readonly producer: Producer) {}

  /** Validates options, connects, and returns a ready producer. */
  static async connect(kafka: ConfluentKafka, options: ProducerOptions): Promise<ConfluentProducer> {
    const resolved = resolveProducerOptions(options);
    const producer = kafka.producer({
      kafkaJS: {
        idempotent: resolved.idempotent,
        acks: ACKS[resolved.acks],
        compression: resolved.compression,
        timeout: resolved.ackTimeoutMs,
        allowAutoTopicCreation: false,
      },
      // Java-compatible murmur2 for keyed messages, as kafkajs's DefaultPartitioner.
      partitioner: 'murmur2_random',
      // librdkafka refuses messages over 1 MB itself (reported as "Broker: Message size too
      // large"); its maximum leaves the limit to the topic's max.message.bytes, as the other clients.
      'message.max.bytes': 1_000_000_000,
    });
    try {
      await producer.connect();
    } catch (error) {
      throw wrapClientError('STREAM_CONNECT_FAILED', 'producer could not connect', error);
    }
    return new ConfluentProducer(producer);
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
        messages: messages.map((message) => ({
          key: message.key,
          value: message.value,
          headers: message.headers === undefined ? undefined : { ...message.headers },
          partition: message.partition,
          timestamp: message.timestampMs === undefined ? undefined : String(message.timestampMs),
        })),
      });
      return metadata.map((entry) => ({ topic: entry.topicName, partition: entry.partition, baseOffset: BigInt(entry.baseOffset ?? entry.offset ?? '-1') }));
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
