import { describe, expect, it } from 'vitest';

import { aggregateShards, planShards } from './shard-plan.js';

describe('planShards', () => {
  it('cuts a batch into ordered shards of at most shardSize', () => {
    expect(planShards([5, 1, 9, 3, 7], 2)).toEqual([[5, 1], [9, 3], [7]]);
    expect(() => planShards([1], 0)).toThrow(expect.objectContaining({ code: 'TRAIN_OPTIONS_INVALID' }));
  });
});

describe('aggregateShards', () => {
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
