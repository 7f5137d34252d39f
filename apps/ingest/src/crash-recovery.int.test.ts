import { checkService, recordScenarioFigures } from '@metarec/runtime/testing';
import { KafkaJsClient, type EventProducer, type TopicAdmin } from '@metarec/streaming';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startIngest, stopIngest, type IngestProcess } from './testing/ingest-harness.js';
import {
  clearOnline,
  dumpOnline,
  interactionMessages,
  offlineInteractions,
  produceStream,
  scenario,
  validCount,
  waitForCommitted,
} from './testing/ingest-fixtures.js';

const kafkaService = await checkService('kafka');
const redisService = await checkService('redis');
const available = kafkaService.available && redisService.available;

const N = 3_000;
const MALFORMED_EVERY = 97;

describe.skipIf(!available)('ingest app: crashes and rebalances (real Kafka, Redis, child processes)', () => {
  let admin: TopicAdmin;
  let producer: EventProducer;
  let redis: Redis;
  const prefixes: string[] = [];
  const running = new Set<IngestProcess>();
  const history: IngestProcess[] = [];

  beforeAll(async () => {
    const client = new KafkaJsClient({ brokers: kafkaService.address.split(','), clientId: 'ingest-int-test' });
    admin = await client.createTopicAdmin();
    producer = await client.createProducer();
    redis = new Redis(redisService.address);
  });
  afterAll(async () => {
    await Promise.all([...running].map((p) => stopIngest(p, 'SIGKILL')));
    for (const prefix of prefixes) {
      await clearOnline(redis, prefix);
    }
    await producer?.close();
    await admin?.close();
    await redis?.quit();
  });

  async function start(env: Record<string, string>): Promise<IngestProcess> {
    // Per-event co-occurrence on (off by default; the rebuild job replaces it), so its idempotent replay is covered too.
    const p = await startIngest({ KAFKA_BROKERS: kafkaService.address, REDIS_URL: redisService.address, CO_OCCURRENCE_WINDOW: '5', ...env });
    running.add(p);
    history.push(p);
    void p.exited.then(() => running.delete(p));
    return p;
  }

  async function ensureTopics(s: ReturnType<typeof scenario>): Promise<void> {
    const t = s.topics;
    await admin.ensureTopics([t.interactions, t.userProfiles, t.itemProfiles, t.deadLetter].map((topic) => ({ topic, partitions: 4 })));
  }

  /** A fresh group over the same topics, never interrupted: the reference state. */
  async function cleanRun(s: ReturnType<typeof scenario>): Promise<Record<string, unknown>> {
    const clean = await s.env('clean');
    prefixes.push(clean.prefix);
    const p = await start(clean.env);
    await waitForCommitted(admin, clean.group, s.topics.interactions);
    expect(await stopIngest(p)).toEqual({ code: 0, signal: null });
    const offline = await offlineInteractions(clean.root);
    expect(offline.rows).toBe(validCount(0, N, MALFORMED_EVERY));
    return dumpOnline(redis, clean.prefix);
  }

  it('stores every accepted event exactly once after two kill -9 mid-stream (the second losing the committed offsets), and online state equals a clean run', async () => {
    const s = scenario('crash');
    await ensureTopics(s);
    const run = await s.env('crashy');
    prefixes.push(run.prefix);
    const messages = interactionMessages(0, N, Date.now() - 3_600_000, MALFORMED_EVERY);
    const replayGroup = `${run.group}-replay`;
    let ingest = await start(run.env);
    let kills = 0;
    await produceStream(producer, s.topics.interactions, messages, 150, 120, async (sent) => {
      // Kill at 1/3 and 2/3 of the stream, once the process has made some progress.
      if ((sent >= N / 3 && kills === 0) || (sent >= (2 * N) / 3 && kills === 1)) {
        const before = (await offlineInteractions(run.root)).rows;
        const deadline = Date.now() + 20_000;
        while ((await offlineInteractions(run.root)).rows === before && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(await stopIngest(ingest, 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
        kills += 1;
        // After the second kill the committed offsets are lost too (a fresh group): the restart
        // replays the topic from offset 0 and must skip everything already durable or applied.
        ingest = await start(kills === 2 ? { ...run.env, INGEST_GROUP_ID: replayGroup } : run.env);
      }
    });
    expect(kills).toBe(2);
    await waitForCommitted(admin, replayGroup, s.topics.interactions);
    expect(await stopIngest(ingest)).toEqual({ code: 0, signal: null });

    const offline = await offlineInteractions(run.root);
    const accepted = validCount(0, N, MALFORMED_EVERY);
    expect(offline.rows).toBe(accepted);
    expect(offline.distinct).toBe(accepted);
    const skips = history.flatMap((p) => p.lines).filter((line) => line.includes('replayed records already durable were skipped'));
    console.log(`crash test: ${skips.length} flush(es) skipped records a killed instance had already made durable`);
    expect(skips.length).toBeGreaterThan(0);
    const crashed = await dumpOnline(redis, run.prefix);
    expect(crashed).toEqual(await cleanRun(s));
    recordScenarioFigures('ingest kill -9 twice mid-stream', { eventsProduced: N, accepted, offlineRows: offline.rows, duplicated: offline.rows - offline.distinct, lost: accepted - offline.distinct, kills, onlineKeys: Object.keys(crashed).length });
  });

  it('loses and doubles nothing when one of two instances in the group stops mid-stream', async () => {
    const s = scenario('rebalance');
    await ensureTopics(s);
    const run = await s.env('pair');
    prefixes.push(run.prefix);
    const messages = interactionMessages(0, N, Date.now() - 3_600_000, MALFORMED_EVERY);
    const first = await start(run.env);
    const second = await start(run.env);
    let stopped = false;
    await produceStream(producer, s.topics.interactions, messages, 150, 120, async (sent) => {
      if (sent >= N / 2 && !stopped) {
        stopped = true;
        expect(await stopIngest(second)).toEqual({ code: 0, signal: null });
      }
    });
    await waitForCommitted(admin, run.group, s.topics.interactions);
    expect(await stopIngest(first)).toEqual({ code: 0, signal: null });
    const secondLog = second.lines.join('\n');
    expect(secondLog).toContain('consumer group joined');

    const offline = await offlineInteractions(run.root);
    const accepted = validCount(0, N, MALFORMED_EVERY);
    expect(offline.rows).toBe(accepted);
    expect(offline.distinct).toBe(accepted);
    const online = await dumpOnline(redis, run.prefix);
    expect(online).toEqual(await cleanRun(s));
    recordScenarioFigures('ingest instance leaves the group mid-stream', { eventsProduced: N, accepted, offlineRows: offline.rows, duplicated: offline.rows - offline.distinct, lost: accepted - offline.distinct, onlineKeys: Object.keys(online).length });
  });
});
