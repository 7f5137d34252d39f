import { describe, expect, it } from 'vitest';

import { parseBrokerList, resolveKafkaClientOptions, validateBrokers } from './client-options.js';
import { resolveConsumerOptions } from './consumer-options.js';
import { createKafkaClient, parseKafkaClientKind } from './create-kafka-client.js';
import { StreamingError } from './errors.js';
import { DEFAULT_KAFKA_CLIENT_KIND, KAFKA_CLIENT_KINDS } from './kafka-client.js';
import { resolveProducerOptions } from './producer-options.js';
import { kafkaClientKindsUnderTest } from './testing/kafka-clients-under-test.js';
import { validateTopicSpecs } from './topic-specs.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof StreamingError ? `${error.code}: ${error.message}` : `not a StreamingError: ${String(error)}`;
  }
  return undefined;
}

describe('broker lists', () => {
  it('parses KAFKA_BROKERS text, trimming and dropping empty items', () => {
    expect(parseBrokerList(' localhost:9092, kafka-1.svc:19092 ,')).toEqual(['localhost:9092', 'kafka-1.svc:19092']);
    expect(parseBrokerList('[::1]:9092')).toEqual(['[::1]:9092']);
  });

  it('rejects an empty list, a missing port and a port out of range, naming brokers', () => {
    expect(codeOf(() => validateBrokers([]))).toMatch(/^STREAM_OPTIONS_INVALID: invalid option brokers/);
    expect(codeOf(() => parseBrokerList('localhost'))).toMatch(/"localhost" is not host:port/);
    expect(codeOf(() => parseBrokerList('localhost:70000'))).toMatch(/brokers/);
  });
});

describe('option validation happens before any I/O', () => {
  it.each(KAFKA_CLIENT_KINDS)('createKafkaClient(%s) refuses a blank clientId before loading the library', async (kind) => {
    const refused = await createKafkaClient({ kind, brokers: ['localhost:9092'], clientId: ' ' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StreamingError);
    expect((refused as StreamingError).message).toMatch(/clientId/);
  });

  it('refuses an unknown client kind, naming the known ones', () => {
    expect(codeOf(() => parseKafkaClientKind('rdkafka'))).toMatch(/"rdkafka" is not one of kafkajs, platformatic, confluent/);
  });

  it('picks the clients under test from KAFKA_CLIENTS, else KAFKA_CLIENT, else the default', () => {
    expect(kafkaClientKindsUnderTest({})).toEqual([DEFAULT_KAFKA_CLIENT_KIND]);
    expect(kafkaClientKindsUnderTest({ KAFKA_CLIENT: 'kafkajs' })).toEqual(['kafkajs']);
    expect(kafkaClientKindsUnderTest({ KAFKA_CLIENT: 'platformatic' })).toEqual(['platformatic']);
    expect(kafkaClientKindsUnderTest({ KAFKA_CLIENTS: 'all', KAFKA_CLIENT: 'platformatic' })).toEqual(KAFKA_CLIENT_KINDS);
    expect(kafkaClientKindsUnderTest({ KAFKA_CLIENTS: 'kafkajs, platformatic,kafkajs' })).toEqual(['kafkajs', 'platformatic']);
    expect(codeOf(() => kafkaClientKindsUnderTest({ KAFKA_CLIENTS: 'nope' }))).toMatch(/STREAM_OPTIONS_INVALID/);
  });

  it('client options: inverted retry bounds are refused', () => {
    expect(codeOf(() => resolveKafkaClientOptions({ brokers: ['h:1'], clientId: 'c', initialRetryTimeMs: 500, maxRetryTimeMs: 100 }))).toMatch(
      /maxRetryTimeMs/,
    );
  });

  it('applies client defaults', () => {
    expect(resolveKafkaClientOptions({ brokers: ['h:1'], clientId: 'c' })).toMatchObject({ retries: 5, connectionTimeoutMs: 3_000 });
  });

  it('producer: idempotent by default, and idempotence requires acks all', () => {
    expect(resolveProducerOptions({})).toMatchObject({ idempotent: true, acks: 'all' });
    expect(codeOf(() => resolveProducerOptions({ acks: 'leader' }))).toMatch(/acks.*idempotent/);
    expect(resolveProducerOptions({ idempotent: false, acks: 'leader' }).acks).toBe('leader');
    expect(codeOf(() => resolveProducerOptions({ compression: 'snappy' as never }))).toMatch(/compression/);
  });

  it('consumer: groupId required, heartbeat at most a third of the session timeout', () => {
    expect(codeOf(() => resolveConsumerOptions({ groupId: '' }))).toMatch(/groupId/);
    expect(codeOf(() => resolveConsumerOptions({ groupId: 'g', sessionTimeoutMs: 10_000, heartbeatIntervalMs: 5_000 }))).toMatch(
      /heartbeatIntervalMs/,
    );
    expect(resolveConsumerOptions({ groupId: 'g' })).toMatchObject({ maxWaitTimeMs: 500, partitionsConsumedConcurrently: 1 });
  });

  it('consumer: an option passed as undefined takes its default', () => {
    expect(resolveConsumerOptions({ groupId: 'g', maxBytesPerPartition: undefined, maxWaitTimeMs: undefined })).toMatchObject({
      maxBytesPerPartition: 1_048_576,
      maxWaitTimeMs: 500,
    });
  });

  it('topic specs: legal names, positive partitions, no duplicates', () => {
    expect(codeOf(() => validateTopicSpecs([{ topic: 'a b', partitions: 1 }]))).toMatch(/legal topic name/);
    expect(codeOf(() => validateTopicSpecs([{ topic: 'a', partitions: 0 }]))).toMatch(/partitions \(a\)/);
    expect(codeOf(() => validateTopicSpecs([{ topic: 'a', partitions: 1 }, { topic: 'a', partitions: 1 }]))).toMatch(/twice/);
    expect(codeOf(() => validateTopicSpecs([{ topic: 'metarec.interactions.v1', partitions: 6 }]))).toBeUndefined();
  });
});
