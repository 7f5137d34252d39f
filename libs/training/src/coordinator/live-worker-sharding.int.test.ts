import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { selectBackend } from '@metarec/meta-learning';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { RunStore } from '../blobs/run-store.js';
import { trainingKeys } from '../blobs/training-keys.js';
import { SHARD_QUEUE } from '../queue/job-contracts.js';
import { localRedisForIntegrationTests, startLocalRedis, type LocalRedis } from '../testing/local-redis.js';
import { maxAbsDiff } from '../testing/max-abs-diff.js';
import { tinyRunSpec } from '../testing/tiny-run-spec.js';
import { TrainingHarness } from '../testing/training-harness.js';
import { liveWorkerSlots } from '../worker/worker-presence.js';
import { shardJobId } from './shard-barrier.js';

const available = localRedisForIntegrationTests();

describe.skipIf(!available)('live-worker sharding on a private Redis', () => {
  let redis: LocalRedis;
  let client: Redis;
  let out: string;
  let h: TrainingHarness;

  beforeAll(async () => {
    await selectBackend({ preferred: 'wasm' });
    redis = await startLocalRedis();
    client = new Redis(redis.url);
    out = await mkdtemp(path.join(tmpdir(), 'metarec-live-shards-'));
  });
  afterEach(async () => {
    await h.close();
  });
  afterAll(async () => {
    await client?.quit();
    await redis?.stop();
    await rm(out, { recursive: true, force: true });
  });

  it('counts the slots of announced workers, drops a withdrawn one at once and an expired one after its TTL', async () => {
    h = new TrainingHarness(redis.url);
    const a = h.worker();
    const b = h.worker({ worker: { concurrency: 2 } });
    await Promise.all([a.waitUntilReady(), b.waitUntilReady()]);
    expect(await liveWorkerSlots(client)).toBe(3);
    await b.close();
    expect(await liveWorkerSlots(client)).toBe(1);
    // A worker killed without withdrawing: its announcement expired a moment ago.
    await client.multi().zadd(trainingKeys.workers(), Date.now() - 1, 'killed-pod').hset(trainingKeys.workerSlots(), 'killed-pod', '4').exec();
    expect(await liveWorkerSlots(client)).toBe(1);
    expect(await client.zscore(trainingKeys.workers(), 'killed-pod')).toBeNull();
  });

  it('one worker gets the whole meta-batch as one shard, two get two; both match fixed sharding up to summation order', async () => {
    h = new TrainingHarness(redis.url);
    const live = tinyRunSpec(out, { sharding: 'live-workers', shardSize: 8, maxSteps: 3, validateEvery: 0 });
    const fixed = tinyRunSpec(out, { maxSteps: 3, validateEvery: 0 });
    const queue = new Queue(SHARD_QUEUE, { connection: client });
    try {
      const first = h.worker();
      await first.waitUntilReady();
      const one = await h.coordinator().run(live, { runId: 'live-1' });
      expect(await queue.getJob(shardJobId('live-1', 0, 0))).toBeDefined();
      expect(await queue.getJob(shardJobId('live-1', 0, 1))).toBeUndefined();

      const second = h.worker();
      await second.waitUntilReady();
      const two = await h.coordinator().run(live, { runId: 'live-2' });
      const job1 = await queue.getJob(shardJobId('live-2', 0, 1));
      expect(job1?.data).toMatchObject({ taskIndices: expect.any(Array) });
      expect((job1?.data as { taskIndices: number[] }).taskIndices).toHaveLength(4);
      expect(await queue.getJob(shardJobId('live-2', 0, 2))).toBeUndefined();

      const reference = await h.coordinator().run(fixed, { runId: 'fixed' });
      expect(one.steps).toBe(3);
      expect(maxAbsDiff(one.lastParams, reference.lastParams)).toBeLessThan(1e-5);
      expect(maxAbsDiff(two.lastParams, reference.lastParams)).toBeLessThan(1e-5);
    } finally {
      await queue.close();
    }
  });

  it('a step keeps the shard count its first plan fixed (a restarted coordinator sees other workers)', async () => {
    h = new TrainingHarness(redis.url);
    const store = new RunStore({ redis: client });
    expect(await store.fixShardCount('plan', 4, 3)).toBe(3);
    expect(await store.fixShardCount('plan', 4, 1)).toBe(3);
    await store.deleteStep('plan', 4, 3);
    expect(await store.fixShardCount('plan', 4, 1)).toBe(1);
  });
});
