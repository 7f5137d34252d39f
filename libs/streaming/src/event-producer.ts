/** One message to send. Keys choose the partition (murmur2, Java-client compatible). */
export interface OutgoingMessage {
  /** Partitioning key, e.g. the user id, so one user's events stay ordered. `null`: round-robin. */
  readonly key: string | Buffer | null;
  /** Payload; `null` is a tombstone for compacted topics. */
  readonly value: Buffer | string | null;
  /** Header values, e.g. `{ 'schema-fingerprint': '...' }`. @defaultValue `{}` */
  readonly headers?: Readonly<Record<string, string | Buffer>>;
  /** Explicit partition, overriding the key's. */
  readonly partition?: number;
  /** Event time in ms since the epoch. @defaultValue the send time */
  readonly timestampMs?: number;
}

/** Where the broker stored the messages of one send, per partition. */
export interface SendReceipt {
  readonly topic: string;
  readonly partition: number;
  /** Offset of the first message written to this partition by the send. */
  readonly baseOffset: bigint;
}

/**
 * Sends messages to Kafka. Each `send` resolves once the broker acknowledged every message
 * (acks from all in-sync replicas by default), so a resolved send is durable.
 */
export interface EventProducer {
  /**
   * Sends `messages` to `topic` in one request per partition leader.
   * @throws StreamingError `STREAM_SEND_FAILED` (after the client's retries), `STREAM_STATE_INVALID` after `close`.
   */
  send(topic: string, messages: readonly OutgoingMessage[]): Promise<readonly SendReceipt[]>;
  /** Flushes nothing (sends are awaited) and disconnects; safe to call twice. */
  close(): Promise<void>;
}
