import { describe, expect, it } from 'vitest';

import { StreamingError } from '../errors.js';
import { parseBrokerList, validateBrokers } from './client-options.js';
import { KafkaJsClient, resolveKafkaClientOptions } from './kafka-js-client.js';
import { resolveConsumerOptions } from './consumer-options.js';
import { resolveProducerOptions } from './kafka-js-producer.js';
import { validateTopicSpecs } from './kafka-js-topic-admin.js';

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
  it('KafkaJsClient refuses a blank clientId and inverted retry bounds', () => {
    expect(codeOf(() => new KafkaJsClient({ brokers: ['localhost:9092'], clientId: ' ' }))).toMatch(/clientId/);
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
