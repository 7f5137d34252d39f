// The subset of `@confluentinc/kafka-javascript`'s KafkaJS-compatible API the adapter uses.
// The package is an optional dependency (a librdkafka addon: its prebuilt download needs the
// network, its source build needs a C toolchain), so it is loaded at run time and typed here:
// type-checking and the other adapters never need it installed.
import { createRequire } from 'node:module';

import { StreamingError } from '../errors.js';

/** The package name, kept in one place. */
export const CONFLUENT_PACKAGE = '@confluentinc/kafka-javascript';

export interface ConfluentLogger {
  info(message: string, extra?: object): void;
  error(message: string, extra?: object): void;
  warn(message: string, extra?: object): void;
  debug(message: string, extra?: object): void;
  namespace(namespace: string, logLevel?: number): ConfluentLogger;
  setLogLevel(logLevel: number): void;
}

export interface ConfluentMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: string;
  readonly offset: string;
  readonly headers?: Readonly<Record<string, Buffer | string | (Buffer | string)[] | undefined>>;
}

export interface ConfluentBatchPayload {
  readonly batch: {
    readonly topic: string;
    readonly partition: number;
    readonly highWatermark: string;
    readonly messages: readonly ConfluentMessage[];
    isEmpty(): boolean;
    firstOffset(): string | null;
    lastOffset(): string;
  };
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  isStale(): boolean;
}

export interface ConfluentTopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface ConfluentConsumer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(subscription: { topics: string[] }): Promise<void>;
  run(config: { eachBatchAutoResolve: boolean; partitionsConsumedConcurrently: number; eachBatch: (payload: ConfluentBatchPayload) => Promise<void> }): Promise<void>;
  commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
  pause(topics: { topic: string; partitions?: number[] }[]): void;
  resume(topics: { topic: string; partitions?: number[] }[]): void;
  assignment(): ConfluentTopicPartition[];
}

export interface ConfluentProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(record: {
    topic: string;
    messages: { key?: Buffer | string | null; value: Buffer | string | null; partition?: number; headers?: Record<string, Buffer | string>; timestamp?: string }[];
  }): Promise<{ topicName: string; partition: number; offset?: string; baseOffset?: string }[]>;
}

export interface ConfluentAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  createTopics(options: { topics: { topic: string; numPartitions: number; replicationFactor: number; configEntries: { name: string; value: string }[] }[] }): Promise<boolean>;
  deleteTopics(options: { topics: string[] }): Promise<void>;
  listTopics(): Promise<string[]>;
  fetchTopicMetadata(options: { topics: string[] }): Promise<{ name: string; partitions: { partitionId: number; leader: number }[] }[]>;
  fetchTopicOffsets(topic: string): Promise<{ partition: number; offset: string; high: string; low: string }[]>;
  fetchOffsets(options: { groupId: string; topics: string[] }): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

export interface ConfluentKafka {
  producer(config: Record<string, unknown>): ConfluentProducer;
  consumer(config: Record<string, unknown>): ConfluentConsumer;
  admin(config?: Record<string, unknown>): ConfluentAdmin;
}

export interface ConfluentModule {
  readonly KafkaJS: {
    readonly Kafka: new (config: Record<string, unknown>) => ConfluentKafka;
    readonly logLevel: Readonly<Record<'NOTHING' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG', number>>;
  };
}

let loaded: ConfluentModule | undefined;

/**
 * Loads the package (CommonJS) once.
 * @throws StreamingError `STREAM_CONNECT_FAILED` when it or its native addon is not installed.
 */
export function loadConfluent(): ConfluentModule {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)(CONFLUENT_PACKAGE) as ConfluentModule;
    } catch (error) {
      throw new StreamingError(
        'STREAM_CONNECT_FAILED',
        `${CONFLUENT_PACKAGE} is not usable here (an optional dependency whose librdkafka addon must be built): ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
  return loaded;
}
