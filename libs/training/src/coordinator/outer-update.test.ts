import { applyUpdate, type AdamOptions } from '@metarec/meta-learning';
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

const bits = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

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

  const cases: Array<Partial<AdamOptions> & { lr: number }> = [
    { lr: 1e-3 },
    { lr: 1e-3, clipValue: 10 },
    { lr: 5e-3, clipValue: 3, l2: 1e-4, weightDecay: 1e-2 },
    { lr: 1e-3, clipNorm: 1 },
    { lr: 1e-3, clipNorm: 1e6 },
    { lr: 2e-2, beta1: 0.5, beta2: 0.9, eps: 1e-6, clipValue: 1, clipNorm: 5, l2: 1e-3 },
  ];

  // Two shards take their own path (no float64 scratch array); one and three the general one.
  const grid = cases.flatMap((options) => [1, 2, 3].map((count) => ({ options, count })));
  it.each(grid)('is bit-identical to aggregateShards + applyUpdate ($count shards, %o)', ({ options, count }) => {
    const some = shards.slice(0, count);
    const agg = aggregateShards(some);
    const ref = applyUpdate(params, state, agg.gradient, options);
    const got = aggregateAndUpdate(some, params, state, options);
    expect(bits(got.params).equals(bits(ref.params))).toBe(true);
    expect(bits(got.state.m).equals(bits(ref.state.m))).toBe(true);
    expect(bits(got.state.v).equals(bits(ref.state.v))).toBe(true);
    expect(got.state.step).toBe(ref.state.step);
    expect(got).toMatchObject({ loss: agg.loss, taskCount: agg.taskCount, gradNorm: ref.gradNorm, clipped: ref.clipped });
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
