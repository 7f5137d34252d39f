import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { createMetaModel, initParams } from '@metarec/meta-learning';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RunStore } from '../blobs/run-store.js';
import { trainingKeys } from '../blobs/training-keys.js';
import { ComputePool } from '../compute/compute-pool.js';
import { syntheticTaskSet } from '../data/synthetic-task-set.js';
import { JOB_SCHEMA_VERSION, type ShardJobData } from '../queue/job-contracts.js';
import { assertNoEviction } from '../queue/redis-policy.js';
import { modelConfigOf } from '../spec/spec-options.js';
import type { RunSpec } from '../spec/run-spec.js';
import { localRedisForIntegrationTests, startLocalRedis, type LocalRedis } from '../testing/local-redis.js';
import { tinyRunSpec } from '../testing/tiny-run-spec.js';
import { loadTaskSet } from '../data/load-task-set.js';
import { ShardProcessor } from './shard-processor.js';

const available = localRedisForIntegrationTests();

describe.skipIf(!available)('shard results and Redis policy', () => {
  let server: LocalRedis;
  let redis: Redis;
  let pool: ComputePool;
  let out: string;

  beforeAll(async () => {
    server = await startLocalRedis();
    redis = new Redis(server.url, { maxRetriesPerRequest: null });
    pool = new ComputePool({ threads: 1, backend: 'wasm' });
    out = await mkdtemp(path.join(tmpdir(), 'metarec-shard-'));
  });
  afterAll(async () => {
    await pool?.close();
    await redis?.quit();
    await server?.stop();
    await rm(out, { recursive: true, force: true });
  });

  it('accepts a shard result once per (run, step, shard) and ignores a repeated or late one', async () => {
    const store = new RunStore({ redis });
    const spec: RunSpec = tinyRunSpec(out);
    const set = syntheticTaskSet(spec.data as Extract<RunSpec['data'], { kind: 'synthetic' }>);
    const model = createMetaModel(set.featureLayout, modelConfigOf(spec));
    await store.putSpec('idem', spec);
    await store.publishParams('idem', 0, initParams(model));
    const job: ShardJobData = {
      v: JOB_SCHEMA_VERSION,
      runId: 'idem',
      step: 0,
      shard: 1,
      taskIndices: [0, 1, 2],
      paramsKey: trainingKeys.params('idem', 0),
      paramsVersion: 0,
      dataVersion: set.dataVersion,
    };
    const processor = new ShardProcessor({ store, pool, loadTaskSet });
    const first = await processor.process(job);
    const again = await processor.process(job);
    expect(first).toMatchObject({ accepted: true, taskCount: 3 });
    expect(again).toMatchObject({ accepted: false, taskCount: 3 });
    const stored = await store.getGradient('idem', 0, 1);
    // A late result with different bytes (e.g. from a stale attempt) does not replace the accepted one.
    expect(await store.acceptGradient('idem', 0, 1, new Float32Array(stored?.values.length ?? 0).fill(9), 3, 42)).toBe(false);
    const after = await store.getGradient('idem', 0, 1);
    expect(after?.loss).toBe(first.loss);
    expect(Array.from(after?.values ?? [])).toEqual(Array.from(stored?.values ?? []));
    expect(await redis.pttl(trainingKeys.gradient('idem', 0, 1))).toBeGreaterThan(0);
  });

  it('a worker refuses a job built on another data version, as an unrecoverable code', async () => {
    const store = new RunStore({ redis });
    const processor = new ShardProcessor({ store, pool, loadTaskSet });
    const job: ShardJobData = { v: 1, runId: 'idem', step: 0, shard: 0, taskIndices: [0], paramsKey: trainingKeys.params('idem', 0), paramsVersion: 0, dataVersion: 'sha256:other' };
    await expect(processor.process(job)).rejects.toMatchObject({ code: 'TRAIN_DATA_VERSION_MISMATCH' });
  });

  it('refuses a Redis that may evict keys', async () => {
    await expect(assertNoEviction(redis)).resolves.toBeUndefined();
    await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      await expect(assertNoEviction(redis)).rejects.toMatchObject({ code: 'TRAIN_REDIS_POLICY', details: { policy: 'allkeys-lru' } });
    } finally {
      await redis.config('SET', 'maxmemory-policy', 'noeviction');
    }
  });
});
