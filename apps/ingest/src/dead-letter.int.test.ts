import { createHash } from 'node:crypto';

import { checkService, recordScenarioFigures } from '@metarec/runtime/testing';
import { DEAD_LETTER_HEADERS, encodeRecord, InteractionSchema, SCHEMA_VERSION_HEADER, UserProfileSchema, wireHeaders } from '@metarec/schemas';
import { malformedInteractions, oversizedInteraction } from '@metarec/schemas/testing';
import { KafkaJsClient, type ConsumedMessage, type OutgoingMessage } from '@metarec/streaming';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

import { startIngest, stopIngest } from './testing/ingest-harness.js';
import { clearOnline, offlineInteractions, scenario, testInteraction, waitForCommitted } from './testing/ingest-fixtures.js';

const kafkaService = await checkService('kafka');
const redisService = await checkService('redis');
const available = kafkaService.available && redisService.available;

const TEN_MB = 10 * 1024 * 1024;

function sha(value: Buffer | string | null): string {
  return createHash('sha256').update(value ?? '').digest('hex');
}

describe.skipIf(!available)('ingest app: malformed corpus (real Kafka, Redis, child process)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) {
      await step();
    }
  });

  it('sends every malformed kind to the dead-letter topic with its reason, original bytes and source, and keeps consuming', async () => {
    const s = scenario('dlq');
    const client = new KafkaJsClient({ brokers: kafkaService.address.split(','), clientId: 'ingest-dlq-test' });
    const admin = await client.createTopicAdmin();
    const producer = await client.createProducer();
    const redis = new Redis(redisService.address);
    cleanup.push(() => producer.close(), () => admin.close(), async () => void (await redis.quit()));
    // The source and dead-letter topics must take a 10 MB message (the broker default is 1 MB).
    const configs = { 'max.message.bytes': String(16 * 1024 * 1024) };
    const t = s.topics;
    await admin.ensureTopics([t.interactions, t.userProfiles, t.itemProfiles, t.deadLetter].map((topic) => ({ topic, partitions: 2, configs })));

    const base = Date.now() - 60_000;
    // The shared malformed corpus between two valid events, plus a payload over the app's 1 MiB limit.
    const broken = [...malformedInteractions(testInteraction(1, base)), oversizedInteraction(testInteraction(2, base), TEN_MB)];
    const last = broken.length + 1;
    const corpus: { message: OutgoingMessage; reason?: string; field?: string }[] = [
      { message: encodeRecord(InteractionSchema, testInteraction(0, base)) },
      ...broken.map(({ message, reason, field }) => ({ message, reason, field })),
      { message: encodeRecord(InteractionSchema, testInteraction(last, base)) },
    ];
    // One partition, one message per send: the offsets are the corpus indices.
    for (const { message } of corpus) {
      await producer.send(t.interactions, [{ ...message, partition: 0 }]);
    }
    await producer.send(t.userProfiles, [{ key: 'u1', value: JSON.stringify({ age_bucket: '25-34', updated_at_ms: base }), headers: wireHeaders(UserProfileSchema), partition: 0 }]);

    const run = await s.env('corpus', { TOPIC_PARTITIONS: '2' });
    cleanup.push(() => clearOnline(redis, run.prefix));
    const ingest = await startIngest({ KAFKA_BROKERS: kafkaService.address, REDIS_URL: redisService.address, ...run.env });
    cleanup.push(async () => void (await stopIngest(ingest, 'SIGKILL')));
    await waitForCommitted(admin, run.group, t.interactions);
    await waitForCommitted(admin, run.group, t.userProfiles);
    const metrics = await (await fetch(`http://127.0.0.1:${ingest.port}/metrics`)).text();
    expect(await stopIngest(ingest)).toEqual({ code: 0, signal: null });

    const letters: ConsumedMessage[] = [];
    const reader = await client.createConsumer({ groupId: `${s.id}-reader` });
    cleanup.push(() => reader.close());
    await reader.subscribe([t.deadLetter]);
    await reader.run(async (batch) => void letters.push(...batch.messages));
    const expected = corpus.filter((c) => c.reason !== undefined).length + 1;
    const deadline = Date.now() + 30_000;
    while (letters.length < expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await reader.close();

    const bySource = new Map(letters.map((l) => [`${l.headers[DEAD_LETTER_HEADERS.sourceTopic]}@${l.headers[DEAD_LETTER_HEADERS.sourceOffset]}`, l]));
    expect(letters).toHaveLength(expected);
    for (const [offset, entry] of corpus.entries()) {
      const letter = bySource.get(`${t.interactions}@${offset}`);
      if (entry.reason === undefined) {
        expect(letter).toBeUndefined();
        continue;
      }
      expect(letter?.headers[DEAD_LETTER_HEADERS.reason], `offset ${offset}`).toBe(entry.reason);
      expect(letter?.headers[DEAD_LETTER_HEADERS.field], `offset ${offset}`).toBe(entry.field);
      expect(letter?.headers[DEAD_LETTER_HEADERS.sourcePartition]).toBe('0');
      expect(Date.parse(letter?.headers[DEAD_LETTER_HEADERS.failedAt] ?? '')).toBeGreaterThan(base);
      expect(letter?.key).toBe(entry.message.key);
      expect(sha(letter?.value ?? null)).toBe(sha(entry.message.value));
      expect(letter?.headers[SCHEMA_VERSION_HEADER]).toBe(entry.message.headers?.[SCHEMA_VERSION_HEADER]);
    }
    expect(bySource.get(`${t.userProfiles}@0`)?.headers[DEAD_LETTER_HEADERS.field]).toBe('user_id');

    // The consumer kept going: the valid events before and after the corpus are stored.
    const stored = (await offlineInteractions(run.root)).sessions;
    expect(stored.sort()).toEqual(['s0', `s${last}`]);
    expect(metrics).toMatch(/metarec_ingest_dead_lettered_total\{reason="FS_MESSAGE_TOO_LARGE"[^}]*\} 1\n/);
    expect(metrics).toMatch(/metarec_ingest_accepted_total\{kind="interactions"[^}]*\} 2\n/);
    recordScenarioFigures('malformed corpus dead-lettered with reasons', { eventsProduced: corpus.length + 1, stored: stored.length, deadLettered: letters.length, withReasonAndField: corpus.filter((c) => c.reason !== undefined).length });
  });
});
