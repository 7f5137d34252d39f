// Against the real broker from `npm run services:up` (KAFKA_BROKERS, default localhost:9092).
import { randomUUID } from 'node:crypto';

import { checkService } from '@metarec/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseBrokerList } from './client-options.js';
import type { ConsumerOptions } from './consumer-options.js';
import { createKafkaClient } from './create-kafka-client.js';
import type { ConsumedMessage, EventConsumer, MessageBatch, TopicPartition } from './event-consumer.js';
import { StreamingError } from './errors.js';
import type { KafkaClient } from './kafka-client.js';
import { kafkaClientKindsUnderTest } from './testing/kafka-clients-under-test.js';
import type { TopicAdmin } from './topic-admin.js';

const kafka = await checkService('kafka');
if (!kafka.available) {
  console.warn(`skipping streaming int tests: ${kafka.skipReason}`);
}

const RUN_ID = randomUUID().slice(0, 8);
const topicName = (kind: string, suffix: string): string => `metarec-test-${RUN_ID}-${kind}-${suffix}`;

/** Consumes until `count` messages arrived (or times out), then closes the consumer. */
async function consumeN(
  client: KafkaClient,
  topic: string,
  count: number,
  options: Partial<ConsumerOptions> & { groupId: string },
  onBatch?: (batch: MessageBatch) => Promise<void>,
): Promise<ConsumedMessage[]> {
  const received: ConsumedMessage[] = [];
  const consumer: EventConsumer = await client.createConsumer(options);
  await consumer.subscribe([topic]);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out with ${received.length}/${count} messages`)), 60_000);
    void consumer
      .run(async (batch) => {
        await onBatch?.(batch);
        received.push(...batch.messages);
        if (received.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      })
      .catch(reject);
  });
  await consumer.close();
  return received;
}

/** The Java client's partition of a key: `toPositive(murmur2(key)) % partitions` (org.apache.kafka.common.utils.Utils). */
function javaPartition(key: string, partitions: number): number {
  const data = Buffer.from(key, 'utf8');
  const m = 0x5bd1e995;
  let h = (0x9747b28c ^ data.length) | 0;
  const whole = data.length - (data.length % 4);
  for (let i = 0; i < whole; i += 4) {
    let k = data.readInt32LE(i);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const rest = data.length % 4;
  if (rest === 3) {h ^= (data[whole + 2] ?? 0) << 16;}
  if (rest >= 2) {h ^= (data[whole + 1] ?? 0) << 8;}
  if (rest >= 1) {
    h ^= data[whole] ?? 0;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return (h & 0x7fffffff) % partitions;
}

describe.skipIf(!kafka.available).each(kafkaClientKindsUnderTest())('KafkaClient "%s" against a real broker', (kind) => {
  let client: KafkaClient;
  let admin: TopicAdmin;
  const created: string[] = [];

  beforeAll(async () => {
    client = await createKafkaClient({ kind, brokers: parseBrokerList(kafka.address), clientId: 'metarec-streaming-int-test' });
    admin = await client.createTopicAdmin();
  });

  afterAll(async () => {
    await admin?.deleteTopics(created);
    await admin?.close();
  });

  it('creates topics idempotently and refuses a partition-count mismatch', async () => {
    const topic = topicName(kind, 'admin');
    created.push(topic);
    expect(await admin.ensureTopics([{ topic, partitions: 3 }])).toEqual({ created: [topic], existing: [] });
    expect(await admin.ensureTopics([{ topic, partitions: 3 }])).toEqual({ created: [], existing: [topic] });
    expect(await admin.listTopics()).toContain(topic);
    const mismatch = await admin.ensureTopics([{ topic, partitions: 4 }]).catch((error: unknown) => error);
    expect(mismatch).toBeInstanceOf(StreamingError);
    expect((mismatch as StreamingError).code).toBe('STREAM_TOPIC_MISMATCH');
  });

  it("reads a topic's effective configs: its own overrides and the broker's defaults", async () => {
    const topic = topicName(kind, 'configs');
    created.push(topic);
    await admin.ensureTopics([{ topic, partitions: 1, configs: { 'max.message.bytes': '200000' } }]);
    const configs = await admin.topicConfigs(topic);
    expect(configs.get('max.message.bytes')).toBe('200000');
    expect(configs.get('cleanup.policy')).toBe('delete');
    const missing = await admin.topicConfigs(topicName(kind, 'missing')).catch((error: unknown) => error);
    expect((missing as StreamingError).code).toBe('STREAM_ADMIN_FAILED');
  });

  it('produces N keyed messages with headers and consumes the same N back, per-key order kept', async () => {
    const topic = topicName(kind, 'roundtrip');
    created.push(topic);
    await admin.ensureTopics([{ topic, partitions: 3 }]);
    const producer = await client.createProducer({ idempotent: true });
    const n = 300;
    const messages = Array.from({ length: n }, (_, i) => ({
      key: `user-${i % 7}`,
      value: JSON.stringify({ seq: i }),
      headers: { 'schema-fingerprint': 'fp-1', seq: String(i) },
    }));
    const receipts = await producer.send(topic, messages);
    await producer.close();
    expect(receipts.every((receipt) => receipt.topic === topic && receipt.baseOffset >= 0n)).toBe(true);

    const received = await consumeN(client, topic, n, { groupId: `g-${RUN_ID}-${kind}-roundtrip` });
    expect(received).toHaveLength(n);
    const bySeq = new Map(received.map((message) => [Number(message.headers['seq']), message]));
    for (let i = 0; i < n; i += 1) {
      const message = bySeq.get(i);
      expect(message?.key).toBe(`user-${i % 7}`);
      expect(message?.headers['schema-fingerprint']).toBe('fp-1');
      expect(JSON.parse(message?.value?.toString() ?? 'null')).toEqual({ seq: i });
    }
    // One key, one partition, offsets in production order.
    for (let k = 0; k < 7; k += 1) {
      const ofKey = received.filter((message) => message.key === `user-${k}`);
      expect(new Set(ofKey.map((message) => message.partition)).size).toBe(1);
      const seqs = ofKey.map((message) => Number(message.headers['seq']));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    expect(await admin.endOffsets(topic)).toSatisfy((ends: ReadonlyMap<number, bigint>) => [...ends.values()].reduce((a, b) => a + b, 0n) === BigInt(n));
  });

  it("puts each key on the Java client's partition (murmur2) and keeps record timestamps", async () => {
    const topic = topicName(kind, 'partitioning');
    created.push(topic);
    await admin.ensureTopics([{ topic, partitions: 6 }]);
    const producer = await client.createProducer();
    const base = Date.UTC(2024, 0, 1);
    const messages = Array.from({ length: 40 }, (_, i) => ({ key: `user-${i}`, value: String(i), timestampMs: base + i * 1_000 }));
    await producer.send(topic, messages);
    await producer.close();
    const received = await consumeN(client, topic, messages.length, { groupId: `g-${RUN_ID}-${kind}-partitioning` });
    expect(received.map((message) => [message.key, message.partition, message.timestampMs]).sort()).toEqual(
      messages.map((message) => [message.key, javaPartition(message.key, 6), message.timestampMs]).sort(),
    );
  });

  it('takes overlapping sends of one idempotent producer (as loadgen and the serving feedback make them)', async () => {
    const topic = topicName(kind, 'concurrent');
    created.push(topic);
    await admin.ensureTopics([{ topic, partitions: 3 }]);
    const producer = await client.createProducer({ idempotent: true });
    const sends = Array.from({ length: 30 }, (_, s) =>
      producer.send(topic, Array.from({ length: 50 }, (_, i) => ({ key: `user-${(s * 50 + i) % 11}`, value: `${s}-${i}` }))),
    );
    const results = await Promise.allSettled(sends);
    await producer.close();
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    const ends = await admin.endOffsets(topic);
    expect([...ends.values()].reduce((a, b) => a + b, 0n)).toBe(1_500n);
  });

  it('commits after each handled batch, so a restarted group resumes after the committed offset', async () => {
    const topic = topicName(kind, 'resume');
    const groupId = `g-${RUN_ID}-${kind}-resume`;
    created.push(topic);
    await admin.ensureTopics([{ topic, partitions: 1 }]);
    const producer = await client.createProducer();
    await producer.send(topic, Array.from({ length: 10 }, (_, i) => ({ key: 'k', value: `first-${i}` })));

    const first = await consumeN(client, topic, 10, { groupId });
    expect(first.map((message) => message.value?.toString())).toEqual(Array.from({ length: 10 }, (_, i) => `first-${i}`));
    expect((await admin.committedOffsets(groupId, topic)).get(0)).toBe(10n);

    await producer.send(topic, Array.from({ length: 5 }, (_, i) => ({ key: 'k', value: `second-${i}` })));
    await producer.close();
    const second = await consumeN(client, topic, 5, { groupId });
    expect(second.map((message) => message.value?.toString())).toEqual(Array.from({ length: 5 }, (_, i) => `second-${i}`));
    expect(second[0]?.offset).toBe(10n);
  });

  it('does not commit a batch whose handler threw, and delivers it again', async () => {
    const topic = topicName(kind, 'redeliver');
    const groupId = `g-${RUN_ID}-${kind}-redeliver`;
    created.push(topic);
    await admin.ensureTopics([{ topic, partitions: 1 }]);
    const producer = await client.createProducer();
    await producer.send(topic, Array.from({ length: 3 }, (_, i) => ({ key: 'k', value: `m-${i}` })));
    await producer.close();

    let attempts = 0;
    const received = await consumeN(client, topic, 3, { groupId }, async () => {
      attempts += 1;
      if (attempts === 1) {
        throw new Error('store unavailable');
      }
    });
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(received.map((message) => message.value?.toString())).toEqual(['m-0', 'm-1', 'm-2']);
    expect((await admin.committedOffsets(groupId, topic)).get(0)).toBe(3n);
  });

  it('reports assigned partitions on join and revoked ones on close', async () => {
    const topic = topicName(kind, 'rebalance');
    created.push(topic);
    await admin.ensureTopics([{ topic, partitions: 2 }]);
    const assigned: TopicPartition[] = [];
    const revoked: TopicPartition[] = [];
    const consumer = await client.createConsumer({
      groupId: `g-${RUN_ID}-${kind}-rebalance`,
      onPartitionsAssigned: (partitions) => assigned.push(...partitions),
      onPartitionsRevoked: (partitions) => revoked.push(...partitions),
    });
    await consumer.subscribe([topic]);
    await consumer.run(async () => undefined);
    const deadline = Date.now() + 30_000;
    while (assigned.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const sorted = (list: TopicPartition[]): number[] => list.map((entry) => entry.partition).sort();
    expect(sorted(assigned)).toEqual([0, 1]);
    expect(sorted([...consumer.assignment()])).toEqual([0, 1]);
    await consumer.close();
    await consumer.close();
    expect(sorted(revoked)).toEqual([0, 1]);
    await expect(consumer.run(async () => undefined)).rejects.toMatchObject({ code: 'STREAM_STATE_INVALID' });
  });

  it('delivers nothing from a paused partition until it is resumed', async () => {
    const topic = topicName(kind, 'pause');
    created.push(topic);
    await admin.ensureTopics([{ topic, partitions: 1 }]);
    const received: string[] = [];
    let assigned = false;
    const consumer = await client.createConsumer({ groupId: `g-${RUN_ID}-${kind}-pause`, onPartitionsAssigned: () => (assigned = true) });
    await consumer.subscribe([topic]);
    await consumer.run(async (batch) => {
      received.push(...batch.messages.map((message) => message.value?.toString() ?? ''));
    });
    const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
    for (let waited = 0; !assigned && waited < 30_000; waited += 100) {
      await sleep(100);
    }
    consumer.pause([{ topic }]);
    const producer = await client.createProducer();
    await producer.send(topic, [{ key: 'k', value: 'while-paused' }]);
    await producer.close();
    // Several fetch cycles (maxWaitTimeMs 500) pass without delivery.
    await sleep(2_000);
    expect(received).toEqual([]);
    consumer.resume([{ topic, partitions: [0] }]);
    for (let waited = 0; received.length === 0 && waited < 30_000; waited += 100) {
      await sleep(100);
    }
    await consumer.close();
    expect(received).toEqual(['while-paused']);
  });

  it('in manual commit mode commits only what commit() is given, and only for owned partitions', async () => {
    const topic = topicName(kind, 'manual');
    const groupId = `g-${RUN_ID}-${kind}-manual`;
    created.push(topic);
    await admin.ensureTopics([{ topic, partitions: 1 }]);
    const producer = await client.createProducer();
    await producer.send(topic, Array.from({ length: 4 }, (_, i) => ({ key: 'k', value: `m-${i}` })));
    await producer.close();

    const consumer = await client.createManualCommitConsumer({ groupId });
    await consumer.subscribe([topic]);
    const received: ConsumedMessage[] = [];
    await consumer.run(async (batch) => {
      received.push(...batch.messages);
    });
    for (let waited = 0; received.length < 4 && waited < 30_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await consumer.drain();
    expect(received).toHaveLength(4);
    // Handled, but nothing committed yet.
    expect((await admin.committedOffsets(groupId, topic)).get(0)).toBeUndefined();
    const committed = await consumer.commit([
      { topic, partition: 0, offset: 2n },
      { topic, partition: 7, offset: 1n },
    ]);
    expect(committed).toEqual([{ topic, partition: 0, offset: 2n }]);
    await consumer.close();
    expect((await admin.committedOffsets(groupId, topic)).get(0)).toBe(2n);

    // The group resumes from the manual commit, not from what was handled.
    const again = await consumeN(client, topic, 2, { groupId });
    expect(again.map((message) => message.value?.toString())).toEqual(['m-2', 'm-3']);
  });
});
