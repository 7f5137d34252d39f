// Issue 17, defect 2: on topics created with broker defaults (as the k8s manifest runs it,
// CREATE_TOPICS=false), an invalid payload just under the input topic's limit used to be
// dead-lettered whole with extra headers, which the dead-letter topic refused: the batch was
// redelivered forever, the events behind it never ingested, and every probe stayed green.
import { createHash } from 'node:crypto';

import { checkService, recordScenarioFigures } from '@metarec/runtime/testing';
import { DEAD_LETTER_HEADERS, encodeRecord, InteractionSchema, wireHeaders } from '@metarec/schemas';
import { KafkaJsClient, StreamingError, type ConsumedMessage, type EventProducer } from '@metarec/streaming';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

import { startIngest, stopIngest } from './testing/ingest-harness.js';
import { clearOnline, offlineInteractions, scenario, testInteraction, waitForCommitted } from './testing/ingest-fixtures.js';

const kafkaService = await checkService('kafka');
const redisService = await checkService('redis');
const available = kafkaService.available && redisService.available;

/** Kafka's default `max.message.bytes` of a topic (1 MiB plus record-batch overhead). */
const BROKER_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

function sha256(value: Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Sends the largest invalid payload (`{` then spaces) the topic still accepts, stepping down from
 * the topic limit: the poison message sits just under the input topic's limit.
 */
async function sendLargestInvalid(producer: EventProducer, topic: string, key: string): Promise<Buffer> {
  for (let size = BROKER_DEFAULT_MAX_MESSAGE_BYTES - 64; size > BROKER_DEFAULT_MAX_MESSAGE_BYTES - 4096; size -= 8) {
    const value = Buffer.alloc(size, 0x20);
    value[0] = 0x7b;
    try {
      await producer.send(topic, [{ key, value, headers: wireHeaders(InteractionSchema), partition: 0 }]);
      return value;
    } catch (error) {
      if (!(error instanceof StreamingError && /too large|larger than/i.test(error.message))) {
        throw error;
      }
    }
  }
  throw new Error(`topic ${topic} refused every payload near its limit`);
}

describe.skipIf(!available)('ingest app: a poison message on broker-default topics (real Kafka, Redis, child process)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) {
      await step();
    }
  });

  it('dead-letters an invalid payload just under the input limit (truncated, with its size and sha256) and ingests the events after it', async () => {
    const s = scenario('poison');
    const client = new KafkaJsClient({ brokers: kafkaService.address.split(','), clientId: 'ingest-poison-test' });
    const admin = await client.createTopicAdmin();
    const producer = await client.createProducer();
    const redis = new Redis(redisService.address);
    cleanup.push(() => producer.close(), () => admin.close(), async () => void (await redis.quit()));
    const t = s.topics;
    // No configs: every topic, the dead-letter one included, has the broker's default limit.
    await admin.ensureTopics([t.interactions, t.userProfiles, t.itemProfiles, t.deadLetter].map((topic) => ({ topic, partitions: 1 })));

    const base = Date.now() - 60_000;
    await producer.send(t.interactions, [{ ...encodeRecord(InteractionSchema, testInteraction(0, base)), partition: 0 }]);
    const poison = await sendLargestInvalid(producer, t.interactions, 'u1');
    const after = Array.from({ length: 10 }, (_, i) => ({ ...encodeRecord(InteractionSchema, testInteraction(i + 2, base)), partition: 0 }));
    await producer.send(t.interactions, after);

    const run = await s.env('poison', { CREATE_TOPICS: 'false', TOPIC_PARTITIONS: '1' });
    cleanup.push(() => clearOnline(redis, run.prefix));
    const ingest = await startIngest({ KAFKA_BROKERS: kafkaService.address, REDIS_URL: redisService.address, ...run.env });
    cleanup.push(async () => void (await stopIngest(ingest, 'SIGKILL')));
    await waitForCommitted(admin, run.group, t.interactions, 45_000);
    const metrics = await (await fetch(`http://127.0.0.1:${ingest.port}/metrics`)).text();
    const ready = await fetch(`http://127.0.0.1:${ingest.port}/readyz`);
    expect(ready.status).toBe(200);
    expect(await stopIngest(ingest)).toEqual({ code: 0, signal: null });

    expect((await offlineInteractions(run.root)).sessions.sort()).toEqual(['s0', ...after.map((_, i) => `s${i + 2}`)].sort());
    expect(metrics).toMatch(/metarec_ingest_dead_lettered_total\{reason="FS_INVALID_JSON"[^}]*\} 1\n/);
    expect(metrics).toMatch(new RegExp(`metarec_ingest_consumer_lag\\{topic="${t.interactions.replace(/\./g, '\\.')}",partition="0"[^}]*\\} 0\\n`));

    const letters: ConsumedMessage[] = [];
    const reader = await client.createConsumer({ groupId: `${s.id}-reader` });
    cleanup.push(() => reader.close());
    await reader.subscribe([t.deadLetter]);
    await reader.run(async (batch) => void letters.push(...batch.messages));
    const deadline = Date.now() + 30_000;
    while (letters.length < 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await reader.close();
    expect(letters).toHaveLength(1);
    const [letter] = letters;
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).toBe('FS_INVALID_JSON');
    expect(letter.headers[DEAD_LETTER_HEADERS.sourceOffset]).toBe('1');
    expect(letter.headers[DEAD_LETTER_HEADERS.originalBytes]).toBe(String(poison.length));
    expect(letter.headers[DEAD_LETTER_HEADERS.originalSha256]).toBe(sha256(poison));
    expect(letter.headers[DEAD_LETTER_HEADERS.truncated]).toBe('true');
    const value = letter.value ?? Buffer.alloc(0);
    expect(value.length).toBeLessThan(poison.length);
    expect(value.equals(poison.subarray(0, value.length))).toBe(true);
    const sessions = (await offlineInteractions(run.root)).sessions.length;
    recordScenarioFigures('poison message on broker-default topics', { eventsProduced: 2 + after.length, stored: sessions, deadLettered: letters.length, poisonBytes: poison.length, letterBytes: value.length });
  });

  it('reports the partition stuck in /readyz and the metrics while its dead letters cannot be written', async () => {
    const s = scenario('stuck');
    const client = new KafkaJsClient({ brokers: kafkaService.address.split(','), clientId: 'ingest-stuck-test' });
    const admin = await client.createTopicAdmin();
    const producer = await client.createProducer();
    const redis = new Redis(redisService.address);
    cleanup.push(() => producer.close(), () => admin.close(), async () => void (await redis.quit()));
    const t = s.topics;
    await admin.ensureTopics([t.interactions, t.userProfiles, t.itemProfiles].map((topic) => ({ topic, partitions: 1 })));
    // A compacted dead-letter topic (a misconfiguration) refuses records without a key, so the
    // letter of the keyless invalid message below fails on every redelivery.
    await admin.ensureTopics([{ topic: t.deadLetter, partitions: 1, configs: { 'cleanup.policy': 'compact' } }]);
    const base = Date.now() - 60_000;
    await producer.send(t.interactions, [
      { key: null, value: '{"user_id":', headers: wireHeaders(InteractionSchema), partition: 0 },
      ...Array.from({ length: 5 }, (_, i) => ({ ...encodeRecord(InteractionSchema, testInteraction(i + 1, base)), partition: 0 })),
    ]);

    const run = await s.env('stuck', { CREATE_TOPICS: 'false', TOPIC_PARTITIONS: '1', STUCK_PARTITION_AFTER_MS: '2000' });
    cleanup.push(() => clearOnline(redis, run.prefix));
    const ingest = await startIngest({ KAFKA_BROKERS: kafkaService.address, REDIS_URL: redisService.address, ...run.env });
    cleanup.push(async () => void (await stopIngest(ingest, 'SIGKILL')));
    const deadline = Date.now() + 30_000;
    let readyz: { status: number; body: { ready: boolean; details?: { partitions?: { stuck: { topic: string; partition: number; lag: number }[] } } } } | undefined;
    while (Date.now() < deadline) {
      const response = await fetch(`http://127.0.0.1:${ingest.port}/readyz`);
      readyz = { status: response.status, body: (await response.json()) as NonNullable<typeof readyz>['body'] };
      if (readyz.status === 503 && readyz.body.details?.partitions !== undefined) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(readyz?.status).toBe(503);
    expect(readyz?.body.details?.partitions?.stuck).toMatchObject([{ topic: t.interactions, partition: 0, lag: 6 }]);
    const metrics = await (await fetch(`http://127.0.0.1:${ingest.port}/metrics`)).text();
    const labels = `topic="${t.interactions.replace(/\./g, '\\.')}",partition="0"[^}]*`;
    expect(metrics).toMatch(new RegExp(`metarec_ingest_consumer_lag\\{${labels}\\} 6\\n`));
    expect(metrics).toMatch(new RegExp(`metarec_ingest_partition_stuck\\{${labels}\\} 1\\n`));
    expect(metrics).toMatch(new RegExp(`metarec_ingest_batch_failures_total\\{${labels}\\} [1-9]`));
    const failures = Number(new RegExp(`metarec_ingest_batch_failures_total\\{${labels}\\} (\\d+)`).exec(metrics)?.[1]);
    recordScenarioFigures('dead-letter topic refusing writes', { readyzStatus: readyz?.status ?? 0, stuckLag: readyz?.body.details?.partitions?.stuck[0]?.lag ?? -1, batchFailures: failures });
  });
});
