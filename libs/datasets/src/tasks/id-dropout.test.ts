import type { EncodedRows, FeatureLayout, UserTask } from '@metarec/schemas';
import { describe, expect, it } from 'vitest';

import { applyIdDropout } from './id-dropout.js';

const layout: FeatureLayout = {
  userFields: [
    { name: 'age_bucket', cardinality: 5 },
    { name: 'gender', cardinality: 3 },
  ],
  itemFields: [
    { name: 'item_id', cardinality: 1000 },
    { name: 'release_year_bucket', cardinality: 6 },
  ],
  categoryCount: 0,
  numericCount: 0,
};

function rows(n: number, start: number): EncodedRows {
  return {
    count: n,
    userIndices: Int32Array.from({ length: 2 * n }, (_, k) => 1 + (k % 2)),
    itemIndices: Int32Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? start + k / 2 : 3)),
    itemCategories: new Float32Array(0),
    itemNumeric: new Float32Array(0),
    labels: new Float32Array(n).fill(4),
    itemIds: Array.from({ length: n }, (_, r) => `i${start + r}`),
  };
}

const tasks: UserTask[] = Array.from({ length: 200 }, (_, t) => ({ userId: `u${t}`, support: rows(20, 1), query: rows(10, 500) }));

const itemIdColumn = (r: EncodedRows): number[] => Array.from({ length: r.count }, (_, k) => r.itemIndices[2 * k]);

describe('applyIdDropout', () => {
  it('replaces about p of the item ids by unknown (0), nothing else, without touching the input', () => {
    const before = JSON.stringify(tasks.map((t) => [Array.from(t.support.itemIndices), Array.from(t.query.itemIndices)]));
    const out = applyIdDropout(tasks, layout, { probability: 0.1, seed: 1 });
    let dropped = 0;
    let total = 0;
    out.forEach((t, i) => {
      for (const [a, b] of [
        [t.support, tasks[i].support],
        [t.query, tasks[i].query],
      ] as const) {
        itemIdColumn(a).forEach((v, r) => {
          total += 1;
          dropped += v === 0 ? 1 : 0;
          expect(v === 0 || v === itemIdColumn(b)[r]).toBe(true);
        });
        expect(Array.from({ length: a.count }, (_, k) => a.itemIndices[2 * k + 1])).toEqual(Array.from({ length: b.count }, (_, k) => b.itemIndices[2 * k + 1]));
        expect(a.userIndices).toEqual(b.userIndices);
        expect(a.itemIds).toEqual(b.itemIds);
      }
    });
    // 6,000 rows: sd of the rate ~0.004.
    expect(dropped / total).toBeGreaterThan(0.085);
    expect(dropped / total).toBeLessThan(0.115);
    expect(JSON.stringify(tasks.map((t) => [Array.from(t.support.itemIndices), Array.from(t.query.itemIndices)]))).toBe(before);
  });

  it('is a function of (seed, user id): same on any task order or subset (workers, resume), other seed differs', () => {
    const all = applyIdDropout(tasks, layout, { seed: 3 });
    const shard = applyIdDropout(tasks.filter((_, i) => i % 2 === 1).reverse(), layout, { seed: 3 });
    for (const t of shard) {
      const same = all.find((a) => a.userId === t.userId);
      expect(same?.support.itemIndices).toEqual(t.support.itemIndices);
      expect(same?.query.itemIndices).toEqual(t.query.itemIndices);
    }
    const other = applyIdDropout(tasks, layout, { seed: 4 });
    expect(other.map((t) => Array.from(t.support.itemIndices))).not.toEqual(all.map((t) => Array.from(t.support.itemIndices)));
  });

  it('drops user fields by name, is the identity at p = 0, and names a bad option', () => {
    const out = applyIdDropout(tasks, layout, { probability: 0.5, fields: ['gender'] });
    expect(out.some((t) => t.support.userIndices.some((v, k) => k % 2 === 1 && v === 0))).toBe(true);
    expect(out.every((t) => t.support.userIndices.every((v, k) => k % 2 === 1 || v === 1))).toBe(true);
    expect(applyIdDropout(tasks, layout, { probability: 0 })).toEqual(tasks);
    expect(() => applyIdDropout(tasks, layout, { probability: 1 })).toThrow(expect.objectContaining({ code: 'DS_INVALID_OPTION' }));
    expect(() => applyIdDropout(tasks, layout, { fields: ['user_id'] })).toThrow(/user_id/);
  });
});
