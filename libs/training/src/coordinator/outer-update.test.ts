import { applyUpdate } from '@metarec/meta-learning';
import { describe, expect, it } from 'vitest';

import type { DecodedBlob } from '../blobs/blob-codec.js';
import { aggregateAndUpdate } from './outer-update.js';
import { aggregateShards } from './shard-plan.js';

/** Deterministic pseudo-random floats (mulberry32) so failures reproduce. */
function floats(n: number, seed: number, scale: number): Float32Array {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Float32Array.from({ length: n }, () => (next() - 0.5) * scale);
}

describe('aggregateAndUpdate', () => {
  const n = 1037;
  const params = floats(n, 1, 2);
  const state = { step: 4, m: floats(n, 2, 0.01), v: floats(n, 3, 0.001).map(Math.abs) };
  // Three shards of different task counts; zero blocks and -0 as in real gradients.
  const shards: DecodedBlob[] = [7, 5, 4].map((taskCount, k) => {
    const values = floats(n, 10 + k, 30);
    values.fill(0, 100, 300);
    values[400] = -0;
    return { kind: 'gradient', values, taskCount, loss: 0.5 + k };
  });

  it('applies the task-weighted mean gradient and reports the task-weighted loss', () => {
    const got = aggregateAndUpdate(shards, params, state, { lr: 1e-3, clipValue: 10 });
    // The weighted mean written out by hand (7, 5 and 4 tasks), through the same Adam.
    const mean = new Float32Array(n).map((_, i) => (7 * shards[0].values[i] + 5 * shards[1].values[i] + 4 * shards[2].values[i]) / 16);
    const ref = applyUpdate(params, state, mean, { lr: 1e-3, clipValue: 10 });
    let worst = 0;
    for (let i = 0; i < n; i++) {
      worst = Math.max(worst, Math.abs(got.params[i] - ref.params[i]));
    }
    expect(worst).toBeLessThan(1e-6);
    expect(got.taskCount).toBe(16);
    expect(got.loss).toBeCloseTo((7 * 0.5 + 5 * 1.5 + 4 * 2.5) / 16, 12);
    expect(got.state.step).toBe(state.step + 1);
    expect(aggregateShards(shards).taskCount).toBe(16);
  });

  it('fails as applyUpdate does on a non-finite gradient, bad options and mismatched lengths', () => {
    const bad = shards.map((s) => ({ ...s, values: Float32Array.from(s.values) }));
    bad[1].values[9] = Number.NaN;
    expect(() => aggregateAndUpdate(bad, params, state, { lr: 1e-3 })).toThrow(expect.objectContaining({ code: 'ML_NON_FINITE' }));
    expect(() => aggregateAndUpdate(shards, params, state, { lr: 1e-3, beta2: 1 })).toThrow(expect.objectContaining({ code: 'ML_CONFIG_INVALID' }));
    expect(() => aggregateAndUpdate(shards, params.subarray(1), state, { lr: 1e-3 })).toThrow(expect.objectContaining({ code: 'ML_SIZE_MISMATCH' }));
    expect(() => aggregateAndUpdate([], params, state, { lr: 1e-3 })).toThrow(expect.objectContaining({ code: 'TRAIN_OPTIONS_INVALID' }));
  });
});
