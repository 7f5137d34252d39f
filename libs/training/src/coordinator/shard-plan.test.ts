import { describe, expect, it } from 'vitest';

import { aggregateShards, planShards, planShardsEvenly, shardCountFor } from './shard-plan.js';

describe('planShards', () => {
  it('cuts a batch into ordered shards of at most shardSize', () => {
    expect(planShards([5, 1, 9, 3, 7], 2)).toEqual([[5, 1], [9, 3], [7]]);
    expect(() => planShards([1], 0)).toThrow(expect.objectContaining({ code: 'TRAIN_OPTIONS_INVALID' }));
  });
});

describe('shardCountFor', () => {
  it('fixed sharding ignores the worker count', () => {
    expect(shardCountFor(32, 16, 'fixed', 0)).toBe(2);
    expect(shardCountFor(32, 16, 'fixed', 5)).toBe(2);
    expect(shardCountFor(33, 16, 'fixed', 1)).toBe(3);
  });

  it('live-workers sharding gives one shard per slot, bounded below by shardSize and above by the batch', () => {
    expect(shardCountFor(32, 32, 'live-workers', 1)).toBe(1);
    expect(shardCountFor(32, 32, 'live-workers', 2)).toBe(2);
    expect(shardCountFor(32, 32, 'live-workers', 0)).toBe(1);
    expect(shardCountFor(32, 8, 'live-workers', 1)).toBe(4);
    expect(shardCountFor(3, 8, 'live-workers', 10)).toBe(3);
  });
});

describe('planShardsEvenly', () => {
  it('cuts into contiguous shards whose sizes differ by at most one', () => {
    expect(planShardsEvenly([1, 2, 3, 4, 5], 2)).toEqual([[1, 2, 3], [4, 5]]);
    expect(planShardsEvenly([1, 2, 3, 4], 4)).toEqual([[1], [2], [3], [4]]);
    expect(planShardsEvenly([7, 8], 1)).toEqual([[7, 8]]);
    expect(() => planShardsEvenly([1, 2], 3)).toThrow(expect.objectContaining({ code: 'TRAIN_OPTIONS_INVALID' }));
  });
});

describe('aggregateShards', () => {
  it('a single shard passes through bit for bit what the weighted-mean arithmetic gives', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => Math.fround(Math.sin(i * 7.3) * 10 ** ((i % 9) - 4)));
    const one = aggregateShards([{ kind: 'gradient', values, taskCount: 13, loss: 0.5 }]);
    // The general path with an all-zero second shard of weight 0 is the same float64 sum.
    const general = aggregateShards([
      { kind: 'gradient', values, taskCount: 13, loss: 0.5 },
      { kind: 'gradient', values: new Float32Array(1000), taskCount: 0, loss: 0 },
    ]);
    expect(Array.from(one.gradient)).toEqual(Array.from(general.gradient));
    expect(one.loss).toBe(0.5);
    expect(one.taskCount).toBe(13);
  });

  it('weights shard means by task count, so it equals the mean over all tasks', () => {
    // Shard A: tasks with gradients 1 and 3 (mean 2); shard B: one task with gradient 8.
    const a = { kind: 'gradient' as const, values: Float32Array.of(2, -2), taskCount: 2, loss: 1 };
    const b = { kind: 'gradient' as const, values: Float32Array.of(8, 4), taskCount: 1, loss: 4 };
    const r = aggregateShards([a, b]);
    expect(Array.from(r.gradient)).toEqual([4, 0]);
    expect(r.loss).toBe(2);
    expect(r.taskCount).toBe(3);
  });

  it('rejects shards of different lengths', () => {
    const a = { kind: 'gradient' as const, values: new Float32Array(2), taskCount: 1, loss: 0 };
    const b = { kind: 'gradient' as const, values: new Float32Array(3), taskCount: 1, loss: 0 };
    expect(() => aggregateShards([a, b])).toThrow(expect.objectContaining({ code: 'TRAIN_BLOB_CORRUPT' }));
  });
});
