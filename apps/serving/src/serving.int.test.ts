// The serving process against real Redis, Kafka and the registry app on real PostgreSQL.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { OnlineStore } from '@metarec/feature-store';
import { RegistryClient } from '@metarec/registry';
import { checkService, recordScenarioFigures } from '@metarec/runtime/testing';
import { buildTestWorld, writeBundleManifest, writeTestModelDir, type TestWorld } from '@metarec/serving/testing';
import { KafkaJsClient, type ConsumedMessage } from '@metarec/streaming';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { freePort, spawnApp, waitFor200, type AppProcess } from './testing/process-harness.js';
import { seedOnlineStore } from './testing/seed-online-store.js';

const [redisService, kafkaService, postgres] = await Promise.all([checkService('redis'), checkService('kafka'), checkService('postgres')]);
const available = redisService.available && kafkaService.available && postgres.available;
const skipReason = [redisService, kafkaService, postgres].map((s) => (s.available ? '' : s.skipReason)).filter(Boolean).join('; ');
const SERVING_ROOT = fileURLToPath(new URL('..', import.meta.url));
const REGISTRY_ROOT = fileURLToPath(new URL('../../registry', import.meta.url));
const RUN = `serving-int-${process.pid}-${Date.now()}`;
const PREFIX = `${RUN}:`;
const TOPIC = `${RUN}.interactions`;
const TOKEN = 'ops-token-0123456789abcdef';
const FEEDBACK_TOKEN = 'it-feedback-token-0123456789';
const MODEL = 'melu';

interface Recs {
  readonly path: string;
  readonly modelVersion: number;
  readonly supportCount: number;
  readonly items: readonly { itemId: string; score: number }[];
  readonly degraded: readonly string[];
}

async function getJson<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as T };
}

async function gauges(url: string): Promise<{ tensors: number; cachedUsers: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string): number => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, 'm').exec(text)?.[1]);
  return { tensors: value('metarec_serving_live_tensors'), cachedUsers: value('metarec_serving_user_cache_entries') };
}

async function waitForVersion(url: string, version: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ready = await getJson<{ modelVersion: number | null }>(`${url}/readyz`).catch(() => null);
    if (ready?.body.modelVersion === version) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`serving did not reach model version ${version}`);
}

describe.skipIf(!available)(`serving process ${available ? '' : `(skipped: ${skipReason})`}`, () => {
  let root: string;
  let world: TestWorld;
  let redis: Redis;
  let registry: AppProcess;
  let serving: AppProcess;
  let client: RegistryClient;
  const kafka = new KafkaJsClient({ brokers: [kafkaService.address], clientId: RUN });

  async function registerBundle(version: number, corrupt = false): Promise<void> {
    const dir = path.join(root, `bundle-${version}`);
    await writeTestModelDir(dir, world, { initSeed: version });
    if (corrupt) {
      // Consistent for the registry (bundle manifest recomputed), but not for the model's own checksums.
      const weights = await readFile(path.join(dir, 'weights.bin'));
      weights[0] ^= 0xff;
      await writeFile(path.join(dir, 'weights.bin'), weights);
    }
    await writeBundleManifest(dir, `run-${version}`);
    const result = await client.registerBundleDir(MODEL, dir);
    expect(result.version.version).toBe(version);
  }

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'serving-int-'));
    world = buildTestWorld();
    redis = new Redis(redisService.address);
    await seedOnlineStore(new OnlineStore({ redis, keyPrefix: PREFIX }), world, Date.now());
    const admin = await kafka.createTopicAdmin();
    await admin.ensureTopics([{ topic: TOPIC, partitions: 3 }]);
    await admin.close();

    const registryPort = await freePort();
    registry = spawnApp(REGISTRY_ROOT, registryPort, {
      DATABASE_URL: postgres.address,
      REGISTRY_DB_SCHEMA: RUN.replaceAll('-', '_'),
      REGISTRY_NOTIFY_CHANNEL: RUN.replaceAll('-', '_'),
      REGISTRY_HOST: '127.0.0.1',
      REGISTRY_PORT: String(registryPort),
      REGISTRY_ARTIFACT_DIR: path.join(root, 'artifacts'),
      REGISTRY_TOKENS: `ops:${TOKEN}`,
      LOG_LEVEL: 'warn',
    });
    await waitFor200(registry, '/readyz', 60_000);
    client = new RegistryClient({ baseUrl: registry.url, token: TOKEN });
    await client.createModel(MODEL);
    await registerBundle(1);
    await client.moveAlias(MODEL, 'production', 1, { override: true, reason: 'first model' });

    const servingPort = await freePort();
    serving = spawnApp(SERVING_ROOT, servingPort, {
      SERVING_HOST: '127.0.0.1',
      SERVING_PORT: String(servingPort),
      REDIS_URL: redisService.address,
      ONLINE_KEY_PREFIX: PREFIX,
      KAFKA_BROKERS: kafkaService.address,
      TOPIC_INTERACTIONS: TOPIC,
      REGISTRY_URL: registry.url,
      MODEL_NAME: MODEL,
      BUNDLE_CACHE_DIR: path.join(root, 'serving-cache'),
      CANDIDATES: '40',
      FEEDBACK_TOKENS: `it:${FEEDBACK_TOKEN}`,
      METAREC_BACKEND: 'wasm',
      SHUTDOWN_READINESS_GRACE_MS: '1000',
      // Functional tests on a busy 2-core box: a slow Redis read must not turn a path into the
      // degraded cold path (the Redis-down test covers degradation).
      STORE_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'info',
    });
    await waitFor200(serving, '/readyz', 90_000);
  });

  afterAll(async () => {
    await serving?.stop();
    await registry?.stop();
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length > 0) {
      await redis.del(...keys);
    }
    await redis.quit();
    const admin = await kafka.createTopicAdmin();
    await admin.deleteTopics([TOPIC]);
    await admin.close();
    const db = new pg.Client({ connectionString: postgres.address });
    await db.connect();
    await db.query(`DROP SCHEMA IF EXISTS ${RUN.replaceAll('-', '_')} CASCADE`);
    await db.end();
    await rm(root, { recursive: true, force: true });
  });

  it('recommends for an existing user by adapting to their ratings, then from the cache', async () => {
    const userId = world.warmUserIds[0];
    const first = await getJson<Recs>(`${serving.url}/v1/users/${userId}/recommendations?k=10`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ path: 'adapted', modelVersion: 1, degraded: [] });
    expect(first.body.items).toHaveLength(10);
    const seen = new Set(world.interactions.filter((e) => e.user_id === userId).map((e) => e.item_id));
    expect(first.body.items.some((i) => seen.has(i.itemId))).toBe(false);
    const second = await getJson<Recs>(`${serving.url}/v1/users/${userId}/recommendations?k=10`);
    expect(second.body.path).toBe('cached');
  });

  it('keeps a user context in process until Redis reports a change: an event ingest writes is adapted to on the next request', async () => {
    const userId = world.warmUserIds[1];
    const url = `${serving.url}/v1/users/${userId}/recommendations?k=5`;
    const first = await getJson<Recs>(url);
    expect(first.body.path).toBe('adapted');
    expect((await getJson<Recs>(url)).body.path).toBe('cached');
    const metrics = await (await fetch(`${serving.url}/metrics`)).text();
    expect(metrics).toMatch(/^metarec_serving_user_context_tracking\{[^}]*\} 1$/m);
    expect(Number(/^metarec_serving_user_context_cache_total\{[^}]*result="hit"[^}]*\} (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    // What ingest does with a new event (another Redis client): the serving pod hears of it
    // through the invalidation, not the 60 s TTL.
    const rated = first.body.items[0].itemId;
    const store = new OnlineStore({ redis, keyPrefix: PREFIX });
    await store.apply([{ kind: 'interactions', topic: `${RUN}-direct`, partition: 0, entries: [{ offset: 0n, record: { user_id: userId, item_id: rated, event_type: 'rating', value: 4, timestamp_ms: Date.now(), session_id: null, device: null } }] }]);
    const deadline = Date.now() + 5_000;
    let next = await getJson<Recs>(url);
    while (next.body.supportCount === first.body.supportCount && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      next = await getJson<Recs>(url);
    }
    expect(next.body).toMatchObject({ path: 'adapted', supportCount: first.body.supportCount + 1 });
    expect(next.body.items.map((i) => i.itemId)).not.toContain(rated);
  });

  it('serves a brand-new user from the prior, onboarding first', async () => {
    const recs = await getJson<Recs>(`${serving.url}/v1/users/new-${randomUUID()}/recommendations?k=5`);
    expect(recs.body).toMatchObject({ path: 'cold', supportCount: 0 });
    const onboarding = await getJson<{ items: { itemId: string; evidence: number }[] }>(`${serving.url}/v1/users/new-user/onboarding?k=5`);
    expect(onboarding.status).toBe(200);
    expect(onboarding.body.items).toHaveLength(5);
  });

  it('ranks a new item (no id embedding) among the candidates from its content', async () => {
    const recs = await getJson<Recs>(`${serving.url}/v1/users/${world.warmUserIds[3]}/recommendations?k=40`);
    const ids = recs.body.items.map((i) => i.itemId);
    // 40 candidates reserve 4 places for items new to the model; k = 40 returns them all.
    expect(ids.filter((id) => world.newItemIds.includes(id)).length).toBeGreaterThanOrEqual(1);
  });

  it('produces feedback to Kafka and adapts the next response to it', async () => {
    const userId = `feedback-${randomUUID()}`;
    const before = await getJson<Recs>(`${serving.url}/v1/users/${userId}/recommendations?k=10`);
    expect(before.body.path).toBe('cold');
    const liked = before.body.items[0].itemId;
    const event = { user_id: userId, item_id: liked, event_type: 'rating', value: 5, timestamp_ms: Date.now() };
    const accepted = await getJson<{ offset: string }>(`${serving.url}/v1/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${FEEDBACK_TOKEN}` },
      body: JSON.stringify(event),
    });
    expect(accepted.status).toBe(202);
    const after = await getJson<Recs>(`${serving.url}/v1/users/${userId}/recommendations?k=10`);
    expect(after.body).toMatchObject({ path: 'adapted', supportCount: 1 });
    expect(after.body.items.map((i) => i.itemId)).not.toContain(liked);

    const received: ConsumedMessage[] = [];
    const consumer = await kafka.createConsumer({ groupId: `${RUN}-check` });
    await consumer.subscribe([TOPIC], { fromBeginning: true });
    await consumer.run(async (batch) => {
      received.push(...batch.messages);
    });
    const deadline = Date.now() + 30_000;
    while (!received.some((m) => m.key === userId) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await consumer.close();
    const message = received.find((m) => m.key === userId);
    expect(message?.headers['metarec-schema-version']).toBe('1');
    expect(JSON.parse(message?.value?.toString() ?? '{}')).toMatchObject({ ...event, session_id: null, device: null });
  });

  it('accepts feedback stamped up to the schema bound ahead (the broker refuses record timestamps over 1 h ahead)', async () => {
    const event = { user_id: `ahead-${randomUUID()}`, item_id: world.dataset.items[0].item_id, event_type: 'click', timestamp_ms: Date.now() + 2 * 3_600_000 };
    const accepted = await fetch(`${serving.url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${FEEDBACK_TOKEN}` }, body: JSON.stringify(event) });
    expect(accepted.status).toBe(202);
  });

  it('hot-swaps to a new version under concurrent requests with zero failures', async () => {
    await registerBundle(2);
    let stop = false;
    const statuses: number[] = [];
    const loops = Array.from({ length: 6 }, async (_, w) => {
      for (let n = 0; !stop; n++) {
        const userId = world.warmUserIds[(w * 31 + n) % world.warmUserIds.length];
        try {
          statuses.push((await fetch(`${serving.url}/v1/users/${userId}/recommendations?k=10`)).status);
        } catch {
          statuses.push(-1);
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await client.moveAlias(MODEL, 'production', 2, { override: true, reason: 'swap test' });
    await waitForVersion(serving.url, 2, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop = true;
    await Promise.all(loops);
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    recordScenarioFigures('alias moved under concurrent requests', { requestsSent: statuses.length, failed: statuses.filter((s) => s !== 200).length, status5xx: statuses.filter((s) => s >= 500).length });
  });

  it('refuses a corrupt bundle and keeps serving the previous model', async () => {
    await registerBundle(3, true);
    await client.moveAlias(MODEL, 'production', 3, { override: true, reason: 'corrupt bundle test' });
    const deadline = Date.now() + 20_000;
    while (!serving.logs().includes('bundle refused') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(serving.logs()).toContain('ML_PERSIST_CHECKSUM_MISMATCH');
    const recs = await getJson<Recs>(`${serving.url}/v1/users/${world.warmUserIds[0]}/recommendations?k=5`);
    expect(recs.status).toBe(200);
    expect(recs.body.modelVersion).toBe(2);
  });

  it('keeps the live tensor count flat over many requests', async () => {
    const users = [...world.warmUserIds.slice(0, 60), ...Array.from({ length: 20 }, (_, i) => `cold-${i}`)];
    const round = async (): Promise<void> => {
      for (const userId of users) {
        expect((await fetch(`${serving.url}/v1/users/${userId}/recommendations?k=20`)).status).toBe(200);
      }
    };
    await round();
    const before = await gauges(serving.url);
    await round();
    await round();
    // Same users cached before and after, so any tensor growth would be a leak.
    expect(await gauges(serving.url)).toEqual(before);
  });

  it('answers from the cold path, not 500, when Redis is unreachable', async () => {
    const dir = path.join(root, 'local-model');
    await writeTestModelDir(dir, world, { initSeed: 9 });
    const port = await freePort();
    const deadRedisPort = await freePort();
    const isolated = spawnApp(SERVING_ROOT, port, {
      SERVING_HOST: '127.0.0.1',
      SERVING_PORT: String(port),
      REDIS_URL: `redis://127.0.0.1:${deadRedisPort}`,
      KAFKA_BROKERS: kafkaService.address,
      TOPIC_INTERACTIONS: TOPIC,
      MODEL_DIR: dir,
      METAREC_BACKEND: 'wasm',
      SHUTDOWN_READINESS_GRACE_MS: '0',
      LOG_LEVEL: 'warn',
    });
    try {
      await waitFor200(isolated, '/readyz', 60_000);
      const recs = await getJson<Recs>(`${isolated.url}/v1/users/${world.warmUserIds[0]}/recommendations?k=5`);
      expect(recs.status).toBe(200);
      expect(recs.body.path).toBe('cold');
      expect(recs.body.degraded.some((r) => r.startsWith('user context unavailable'))).toBe(true);
      expect(isolated.logs()).toContain('serving degraded');
    } finally {
      expect(await isolated.stop()).toBe(0);
    }
  });

  it('drains in-flight requests on SIGTERM and exits 0', async () => {
    const requests = world.warmUserIds.slice(100, 120).map((userId) =>
      fetch(`${serving.url}/v1/users/${userId}/recommendations?k=10`).then(
        (r) => r.status,
        () => -1,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const stopped = serving.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Inside the readiness grace: still answering, but telling the load balancer to go away.
    expect((await fetch(`${serving.url}/readyz`)).status).toBe(503);
    const statuses = await Promise.all(requests);
    expect(statuses).toEqual(statuses.map(() => 200));
    expect(await stopped).toBe(0);
  });
});
