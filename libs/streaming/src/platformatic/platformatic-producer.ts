import { compatibilityPartitioner, Producer, ProduceAcks } from '@platformatic/kafka';

import type { ResolvedClientOptions } from '../client-options.js';
import type { EventProducer, OutgoingMessage, SendReceipt } from '../event-producer.js';
import { requireNonBlank, StreamingError } from '../errors.js';
import { resolveProducerOptions, type ProducerOptions } from '../producer-options.js';
import { platformaticBaseOptions, wrapPlatformaticError } from './base-options.js';

const ACKS = { all: ProduceAcks.ALL, leader: ProduceAcks.LEADER } as const;

function toBuffer(value: string | Buffer): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

/** `EventProducer` over a `@platformatic/kafka` producer. Create it with `PlatformaticClient.createProducer`. */
export class PlatformaticProducer implements EventProducer {
  private closing: Promise<void> | undefined;
  /** The previous send, when sends are serialised. */
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly producer: Producer,
    private readonly serialise: boolean,
  ) {}

  /** Validates options, connects (a metadata round trip), and returns a ready producer. */
  static async connect(client: ResolvedClientOptions, options: ProducerOptions): Promise<PlatformaticProducer> {
    const resolved = resolveProducerOptions(options);
    let roundRobin = 0;
    const base = platformaticBaseOptions(client);
    const producer = new Producer({
      ...base,
      // The library retries an idempotent producer's requests forever when given 0 or 1 retries (a
      // send to a missing topic then never returns): 2 keeps the failure bounded.
      retries: resolved.idempotent ? Math.max(2, client.retries) : client.retries,
      idempotent: resolved.idempotent,
      acks: ACKS[resolved.acks],
      compression: resolved.compression,
      // Java-compatible murmur2 (positive hash, mod partitions), as kafkajs's DefaultPartitioner:
      // a key lands on the same partition whichever client produced it.
      // Keyless messages go round-robin (the library takes the result modulo the partition count).
      partitioner: (message, key) => (key === undefined ? roundRobin++ : compatibilityPartitioner(message, key)),
    });
    try {
      await producer.metadata({ topics: [] });
    } catch (error) {
      await producer.close().catch(() => undefined);
      throw wrapPlatformaticError('STREAM_CONNECT_FAILED', 'producer could not connect', error);
    }
    // Concurrent sends of an idempotent producer get sequence numbers out of order at the broker
    // (OUT_OF_ORDER_SEQUENCE_NUMBER, measured with loadgen's overlapping sends): one send in
    // flight at a time, as kafkajs's maxInFlightRequests 1 for idempotence.
    return new PlatformaticProducer(producer, resolved.idempotent);
  }

  async send(topic: string, messages: readonly OutgoingMessage[]): Promise<readonly SendReceipt[]> {
    if (this.closing !== undefined) {
      throw new StreamingError('STREAM_STATE_INVALID', `send to ${topic} after close`);
    }
    requireNonBlank('topic', topic);
    if (messages.length === 0) {
      return [];
    }
    if (!this.serialise) {
      return this.sendNow(topic, messages);
    }
    const sent = this.tail.then(() => this.sendNow(topic, messages));
    // The chain only orders sends; this send's failure reaches its caller through `sent`.
    this.tail = sent.catch(() => undefined);
    return sent;
  }

  private async sendNow(topic: string, messages: readonly OutgoingMessage[]): Promise<readonly SendReceipt[]> {
    try {
      const result = await this.producer.send({
        messages: messages.map((message) => ({
          topic,
          key: message.key === null ? undefined : toBuffer(message.key),
          value: message.value === null ? undefined : toBuffer(message.value),
          headers: new Map(Object.entries(message.headers ?? {}).map(([name, value]) => [Buffer.from(name, 'utf8'), toBuffer(value)])),
          partition: message.partition,
          timestamp: message.timestampMs === undefined ? undefined : BigInt(message.timestampMs),
        })),
      });
      return (result.offsets ?? []).map((entry) => ({ topic: entry.topic, partition: entry.partition, baseOffset: entry.offset }));
    } catch (error) {
      throw wrapPlatformaticError('STREAM_SEND_FAILED', `send of ${messages.length} message(s) to ${topic} failed`, error);
    }
  }

  close(): Promise<void> {
    this.closing ??= this.producer.close().catch((error: unknown) => {
      throw wrapPlatformaticError('STREAM_CONNECT_FAILED', 'producer disconnect failed', error);
    });
    return this.closing;
  }
}
