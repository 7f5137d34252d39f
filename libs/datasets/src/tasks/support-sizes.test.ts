import type { EncodedRows, UserTask } from '@metarec/schemas';
import { describe, expect, it } from 'vitest';

import { firstRows, sampleSupportSize, withFirstSupport } from './support-sizes.js';

function rows(count: number): EncodedRows {
  return {
    count,
    userIndices: Int32Array.from({ length: count * 2 }, (_, i) => i),
    itemIndices: Int32Array.from({ length: count * 3 }, (_, i) => 100 + i),
    itemCategories: Float32Array.from({ length: count * 4 }, (_, i) => i % 2),
    itemNumeric: Float32Array.from({ length: count }, (_, i) => i / 10),
    labels: Float32Array.from({ length: count }, (_, i) => 1 + (i % 5)),
    itemIds: Array.from({ length: count }, (_, i) => `i${i}`),
  };
}

describe('firstRows / withFirstSupport', () => {
  it('keeps the first k rows of every column, aligned', () => {
    const r = firstRows(rows(5), 2);
    expect(r.count).toBe(2);
    expect(Array.from(r.userIndices)).toEqual([0, 1, 2, 3]);
    expect(Array.from(r.itemIndices)).toEqual([100, 101, 102, 103, 104, 105]);
    expect(Array.from(r.itemCategories)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
    expect(Array.from(r.itemNumeric)).toEqual([0, Math.fround(0.1)]);
    expect(Array.from(r.labels)).toEqual([1, 2]);
    expect(r.itemIds).toEqual(['i0', 'i1']);
  });

  it('returns the task itself for all or a size at least the support', () => {
    const task: UserTask = { userId: 'u', support: rows(4), query: rows(3) };
    expect(withFirstSupport(task, 'all')).toBe(task);
    expect(withFirstSupport(task, 9)).toBe(task);
    const cut = withFirstSupport(task, 1);
    expect(cut.support.count).toBe(1);
    expect(cut.query).toBe(task.query);
  });
});

describe('sampleSupportSize', () => {
  it('is a pure function of (seed, step, task) and draws every size', () => {
    const sizes = [1, 3, 10, 'all'] as const;
    expect(sampleSupportSize(sizes, 7, 3, 11)).toBe(sampleSupportSize(sizes, 7, 3, 11));
    const drawn = new Map<string, number>();
    for (let t = 0; t < 400; t++) {
      const s = String(sampleSupportSize(sizes, 7, 3, t));
      drawn.set(s, (drawn.get(s) ?? 0) + 1);
    }
    expect([...drawn.keys()].sort()).toEqual(['1', '10', '3', 'all']);
    for (const n of drawn.values()) {
      expect(n).toBeGreaterThan(60);
    }
    const other = Array.from({ length: 50 }, (_, t) => sampleSupportSize(sizes, 8, 3, t));
    expect(other).not.toEqual(Array.from({ length: 50 }, (_, t) => sampleSupportSize(sizes, 7, 3, t)));
  });

  it('rejects an empty list and sizes below 1', () => {
    expect(() => sampleSupportSize([], 0, 0, 0)).toThrow(expect.objectContaining({ code: 'DS_INVALID_OPTION' }));
    expect(() => sampleSupportSize([0], 0, 0, 0)).toThrow(expect.objectContaining({ code: 'DS_INVALID_OPTION' }));
    expect(() => sampleSupportSize([2.5], 0, 0, 0)).toThrow(expect.objectContaining({ code: 'DS_INVALID_OPTION' }));
  });
});
