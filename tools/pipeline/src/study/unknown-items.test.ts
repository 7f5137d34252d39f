import type { EncodedRows, FeatureLayout, UserTask } from '@metarec/schemas';
import { describe, expect, it } from 'vitest';

import { meanAbsoluteShift, withUnknownQueryItems } from './unknown-items.js';

const layout: FeatureLayout = {
  userFields: [{ name: 'gender', cardinality: 3 }],
  itemFields: [
    { name: 'release_year_bucket', cardinality: 4 },
    { name: 'item_id', cardinality: 10 },
  ],
  categoryCount: 0,
  numericCount: 0,
};

const rows = (items: number[]): EncodedRows => ({
  count: items.length / 2,
  userIndices: new Int32Array(items.length / 2).fill(1),
  itemIndices: Int32Array.from(items),
  itemCategories: new Float32Array(0),
  itemNumeric: new Float32Array(0),
  labels: new Float32Array(items.length / 2).fill(3),
  itemIds: Array.from({ length: items.length / 2 }, (_, r) => `i${r}`),
});

describe('withUnknownQueryItems', () => {
  it('sets the item_id column of query rows to 0 and leaves support, other fields and the input alone', () => {
    const task: UserTask = { userId: 'u', support: rows([1, 5, 2, 6]), query: rows([3, 7, 1, 8]) };
    const [out] = withUnknownQueryItems(layout, [task]);
    expect(Array.from(out.query.itemIndices)).toEqual([3, 0, 1, 0]);
    expect(out.support).toBe(task.support);
    expect(Array.from(task.query.itemIndices)).toEqual([3, 7, 1, 8]);
    expect(() => withUnknownQueryItems({ ...layout, itemFields: [layout.itemFields[0]] }, [task])).toThrow(/item_id/);
  });
});

describe('meanAbsoluteShift', () => {
  it('averages |a − b| over every prediction', () => {
    expect(meanAbsoluteShift([[1, 2], [3]], [[2, 2], [1]])).toBeCloseTo(1);
  });
});
