import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { selectBackend } from '@metarec/meta-learning';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { localRedisAvailable, startLocalRedis, type LocalRedis } from '../testing/local-redis.js';
import { tinyRunSpec } from '../testing/tiny-run-spec.js';
import { TrainingHarness } from '../testing/training-harness.js';

const available = localRedisAvailable();
if (!available && process.env['CI'] === 'true') {
  throw new Error('redis-server is not installed; CI runs every integration test');
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i] - b[i]));
  }
  return m;
}

describe.skipIf(!available)('support-size sampling in distributed training', () => {
  let redis: LocalRedis;
  let out: string;
  let h: TrainingHarness;

  beforeAll(async () => {
    await selectBackend({ preferred: 'wasm' });
    redis = await startLocalRedis();
    out = await mkdtemp(path.join(tmpdir(), 'metarec-shots-'));
  });
  afterEach(async () => {
    await h.close();
  });
  afterAll(async () => {
    await redis?.stop();
    await rm(out, { recursive: true, force: true });
  });

  it('changes the training, and 1 and 2 workers still reach bit-identical parameters', async () => {
    h = new TrainingHarness(redis.url);
    const shots = tinyRunSpec(out, { maxSteps: 3, validateEvery: 0, supportSizes: [1, 2, 'all'] });
    const whole = tinyRunSpec(out, { maxSteps: 3, validateEvery: 0 });
    h.worker();
    const one = await h.coordinator().run(shots, { runId: 'shots-1' });
    const reference = await h.coordinator().run(whole, { runId: 'whole' });
    h.worker();
    const two = await h.coordinator().run(shots, { runId: 'shots-2' });
    expect(one.steps).toBe(3);
    expect(maxAbsDiff(one.lastParams, two.lastParams)).toBe(0);
    expect(maxAbsDiff(one.lastParams, reference.lastParams)).toBeGreaterThan(1e-6);
  });
});
