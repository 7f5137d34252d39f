import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { trainingKeys } from '../blobs/training-keys.js';
import { localRedisForIntegrationTests, startLocalRedis, type LocalRedis } from '../testing/local-redis.js';
import { RunLease } from './run-lease.js';

const available = localRedisForIntegrationTests();

describe.skipIf(!available)('RunLease on a private Redis', () => {
  let server: LocalRedis;
  let redis: Redis;

  beforeAll(async () => {
    server = await startLocalRedis();
    redis = new Redis(server.url, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('lets one holder take a run id; a second fails with TRAIN_RUN_LEASED until the first releases it', async () => {
    const first = await RunLease.acquire(redis, 'run-a');
    await expect(RunLease.acquire(redis, 'run-a')).rejects.toMatchObject({ code: 'TRAIN_RUN_LEASED', message: expect.stringContaining('run run-a is being coordinated by another process') });
    await first.release();
    const second = await RunLease.acquire(redis, 'run-a');
    await second.release();
    expect(await redis.exists(trainingKeys.lease('run-a'))).toBe(0);
  });

  it('lapses when its holder stops renewing (a killed coordinator frees the run id)', async () => {
    const dead = await RunLease.acquire(redis, 'run-b', { ttlMs: 300, renewEveryMs: 100 });
    // Simulate a kill: the timer stops, the key stays until its TTL.
    (dead as unknown as { timer: NodeJS.Timeout }).timer.unref();
    clearInterval((dead as unknown as { timer: NodeJS.Timeout }).timer);
    await new Promise((resolve) => setTimeout(resolve, 450));
    const next = await RunLease.acquire(redis, 'run-b');
    await next.release();
  });

  it('stops its holder when another token took the key, and takes back a key a restart lost', async () => {
    const reasons: string[] = [];
    const lease = await RunLease.acquire(redis, 'run-c', { ttlMs: 600, renewEveryMs: 50, onLost: (r) => reasons.push(r) });
    await redis.del(trainingKeys.lease('run-c'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await redis.get(trainingKeys.lease('run-c'))).toBe(lease.token);
    expect(() => lease.assertHeld()).not.toThrow();
    await redis.set(trainingKeys.lease('run-c'), 'someone-else', 'PX', 5_000);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(reasons).toEqual(['another coordinator holds it']);
    expect(() => lease.assertHeld()).toThrow(expect.objectContaining({ code: 'TRAIN_RUN_LEASED' }));
    // Releasing never deletes the other holder's key.
    await lease.release();
    expect(await redis.get(trainingKeys.lease('run-c'))).toBe('someone-else');
  });
});
