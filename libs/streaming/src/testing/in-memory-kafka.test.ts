import { describe, expect, it } from 'vitest';

import type { ConsumedMessage, EventConsumer, TopicPartition } from '../event-consumer.js';
import type { BatchHandler } from '../event-consumer.js';
import { InMemoryKafka } from './in-memory-kafka.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  for (let waited = 0; !check(); waited += 5) {
    if (waited > timeoutMs) {
      throw new Error('condition not met in time');
    }
    await sleep(5);
  }
}

async function consume(bus: InMemoryKafka, topic: string, groupId: string, count: number, onBatch?: BatchHandler): Promise<ConsumedMessage[]> {
  const received: ConsumedMessage[] = [];
  const consumer: EventConsumer = await bus.createConsumer({ groupId });
  await consumer.subscribe([topic]);
  await consumer.run(async (batch, context) => {
    await onBatch?.(batch, context);
    received.push(...batch.messages);
  });
  await until(() => received.length >= count);
  await consumer.close();
  return received;
}

describe('InMemoryKafka', () => {
  it('keeps one key on one partition with growing offsets, and returns what was sent', async () => {
    const bus = new InMemoryKafka();
    const admin = await bus.createTopicAdmin();
    expect(await admin.ensureTopics([{ topic: 't', partitions: 4 }])).toEqual({ created: ['t'], existing: [] });
    expect(await admin.ensureTopics([{ topic: 't', partitions: 4 }])).toEqual({ created: [], existing: ['t'] });
    await expect(admin.ensureTopics([{ topic: 't', partitions: 2 }])).rejects.toMatchObject({ code: 'STREAM_TOPIC_MISMATCH' });
    const producer = await bus.createProducer();
    await producer.send('t', Array.from({ length: 40 }, (_, i) => ({ key: `u${i % 5}`, value: String(i), headers: { h: 'x' } })));
    const received = await consume(bus, 't', 'g', 40);
    expect(received.map((m) => Number(m.value?.toString())).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    for (let k = 0; k < 5; k += 1) {
      const ofKey = received.filter((m) => m.key === `u${k}`);
      expect(new Set(ofKey.map((m) => m.partition)).size).toBe(1);
      expect(ofKey.every((m) => m.headers['h'] === 'x')).toBe(true);
    }
    expect([...(await admin.endOffsets('t')).values()].reduce((a, b) => a + b, 0n)).toBe(40n);
  });

  it('refuses sends to a missing topic, like a broker without auto-creation', async () => {
    const producer = await new InMemoryKafka().createProducer();
    await expect(producer.send('missing', [{ key: 'k', value: 'v' }])).rejects.toMatchObject({ code: 'STREAM_SEND_FAILED' });
  });

  it('resumes a group after its committed offset and redelivers a batch whose handler threw', async () => {
    const bus = new InMemoryKafka();
    const admin = await bus.createTopicAdmin();
    await admin.ensureTopics([{ topic: 't', partitions: 1 }]);
    const producer = await bus.createProducer();
    await producer.send('t', [{ key: 'k', value: 'a' }, { key: 'k', value: 'b' }]);
    let attempts = 0;
    const first = await consume(bus, 't', 'g', 2, async () => {
      attempts += 1;
      if (attempts === 1) {
        throw new Error('store down');
      }
    });
    expect(first.map((m) => m.value?.toString())).toEqual(['a', 'b']);
    expect(bus.log.handlerErrors).toHaveLength(1);
    expect((await admin.committedOffsets('g', 't')).get(0)).toBe(2n);
    await producer.send('t', [{ key: 'k', value: 'c' }]);
    const second = await consume(bus, 't', 'g', 1);
    expect(second.map((m) => [m.offset, m.value?.toString()])).toEqual([[2n, 'c']]);
  });

  it('reports assignment and revocation, pauses delivery, and allows one running member per group', async () => {
    const bus = new InMemoryKafka();
    await (await bus.createTopicAdmin()).ensureTopics([{ topic: 't', partitions: 2 }]);
    const assigned: TopicPartition[] = [];
    const revoked: TopicPartition[] = [];
    const received: string[] = [];
    const consumer = await bus.createConsumer({ groupId: 'g', onPartitionsAssigned: (p) => assigned.push(...p), onPartitionsRevoked: (p) => revoked.push(...p) });
    await consumer.subscribe(['t']);
    await consumer.run(async (batch) => {
      received.push(...batch.messages.map((m) => m.value?.toString() ?? ''));
    });
    expect(assigned.map((p) => p.partition)).toEqual([0, 1]);
    const second = await bus.createConsumer({ groupId: 'g' });
    await second.subscribe(['t']);
    await expect(second.run(async () => undefined)).rejects.toMatchObject({ code: 'STREAM_STATE_INVALID' });

    consumer.pause([{ topic: 't' }]);
    await (await bus.createProducer()).send('t', [{ key: null, value: 'x', partition: 1 }]);
    await sleep(100);
    expect(received).toEqual([]);
    consumer.resume([{ topic: 't', partitions: [1] }]);
    await until(() => received.length === 1);
    await consumer.close();
    expect(revoked.map((p) => p.partition)).toEqual([0, 1]);
  });
});
