// End to end at tiny size: the same path as `npm run pipeline` (every app a real process).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { checkService } from '@metarec/runtime/testing';
import { KafkaJsClient, parseBrokerList } from '@metarec/streaming';
import { localRedisAvailable, startLocalRedis, type LocalRedis } from '@metarec/training/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runWholePipeline, type WholePipelineSummary } from './run-whole-pipeline.js';

const [kafka, redis, postgres] = await Promise.all([checkService('kafka'), checkService('redis'), checkService('postgres')]);
const available = kafka.available && redis.available && postgres.available && localRedisAvailable();
const why = [kafka, redis, postgres].map((s) => (s.available ? '' : s.skipReason)).filter(Boolean).join('; ') || (localRedisAvailable() ? '' : 'redis-server not installed');

describe.skipIf(!available)(`whole pipeline ${available ? '' : `(skipped: ${why})`}`, () => {
  let workDir: string;
  let trainingRedis: LocalRedis;
  let summary: WholePipelineSummary | undefined;
  const streaming = new KafkaJsClient({ brokers: parseBrokerList(kafka.address), clientId: 'pipeline-e2e' });
  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'metarec-e2e-'));
    trainingRedis = await startLocalRedis();
  });
  afterAll(async () => {
    await trainingRedis?.stop();
    await rm(workDir, { recursive: true, force: true });
    if (summary !== undefined) {
      const r = summary.resources;
      const admin = await streaming.createTopicAdmin();
      await admin.deleteTopics(r.topics);
      await admin.close();
      const client = new Redis(redis.address);
      const keys = await client.keys(`${r.keyPrefix}*`);
      for (let i = 0; i < keys.length; i += 1000) {
        await client.del(...keys.slice(i, i + 1000));
      }
      await client.quit();
      const db = new pg.Client({ connectionString: postgres.address });
      await db.connect();
      await db.query(`DROP SCHEMA IF EXISTS ${r.registrySchema} CASCADE`);
      await db.end();
    }
  });

  it('ingests, trains with 2 workers, registers and promotes, serves an existing user, a new user after feedback, and a new item', async () => {
    const lines: string[] = [];
    summary = await runWholePipeline({
      streaming,
      brokers: parseBrokerList(kafka.address),
      redisUrl: redis.address,
      trainingRedisUrl: trainingRedis.url,
      databaseUrl: postgres.address,
      workDir,
      world: { kind: 'synthetic', users: 80, items: 60, seed: 5 },
      trainSteps: 4,
      latencyRequests: 30,
      log: (line) => lines.push(line),
    });
    expect(summary.data.events).toBeGreaterThan(1000);
    expect(summary.data.offlineStoreBytes).toBeGreaterThan(0);
    // The co-occurrence rebuild job counted the offline store and wrote the online co:<item> sets.
    expect(summary.coOccurrence.interactions).toBe(summary.data.events);
    expect(summary.coOccurrence.pairs).toBeGreaterThan(0);
    expect(summary.training.steps).toBe(4);
    expect(summary.training.registered?.version).toBe(1);
    expect(summary.coldUserMae?.model).toBeGreaterThan(0);
    // The pipeline's recomputation on the same held-out users agrees with the trainer's figures.
    expect(summary.heldOut.users).toBe(summary.training.evaluation?.users);
    expect(summary.heldOut.adapted).toBeCloseTo(summary.training.evaluation?.model.mae ?? Number.NaN, 3);
    expect(summary.heldOut.baselines.itemMean).toBeCloseTo(summary.training.evaluation?.baselines['itemMean']?.mae ?? Number.NaN, 5);
    expect(summary.promotion.version).toBe(1);
    expect(summary.existingUser.response).toMatchObject({ path: 'adapted', modelVersion: 1 });
    expect(summary.newUser.before.path).toBe('cold');
    expect(summary.newUser.onboarding).toHaveLength(5);
    expect(summary.newUser.after).toMatchObject({ path: 'adapted', supportCount: 3 });
    expect(summary.newUser.after.items.map((i) => i.itemId)).not.toContain(summary.newUser.rated[0].itemId);
    // The new item entered the candidates through ingest → online store and was scored from content.
    expect(summary.newItem.rank).not.toBeNull();
    expect(summary.latency.p99Ms).toBeGreaterThan(0);
    expect(lines).toContain('gate + promote…');
  });
});
