import { describe, expect, it } from 'vitest';

import type { Dataset } from '@metarec/datasets';

import { datasetRowEncoder } from './row-encoder.js';

const user = (id: string, gender: string) => ({ user_id: id, age_bucket: '25', gender, occupation: 'writer', region: '9', updated_at_ms: 0 });
const item = (id: string, year: number, categories: string[]) => ({ item_id: id, title: id, categories, release_year: year, numeric_attributes: {}, updated_at_ms: 0 });
const dataset: Dataset = {
  users: [user('u1', 'F'), user('u2', 'M')],
  items: [item('a', 1995, ['Drama']), item('b', 1997, ['Comedy', 'Drama'])],
  interactions: { count: 0, userRows: new Int32Array(0), itemRows: new Int32Array(0), eventTypes: new Uint8Array(0), values: new Float32Array(0), timestampsMs: new Float64Array(0) },
};

describe('datasetRowEncoder', () => {
  it('encodes a user against items with the layout of the feature encoder', () => {
    const enc = datasetRowEncoder(dataset, { itemCount: 2, users: Int32Array.of(0), items: Int32Array.of(0) });
    const rows = enc.rows(1, Int32Array.of(0, 1), Float32Array.of(4, 2));
    expect(rows.count).toBe(2);
    expect(rows.userIndices.length).toBe(2 * enc.layout.userFields.length);
    expect(Array.from(rows.labels)).toEqual([4, 2]);
    expect(enc.layout.itemFields.map((f) => f.name)).toEqual(['release_year_bucket']);
    expect(Array.from(rows.userIndices.subarray(0, enc.layout.userFields.length))).toEqual(
      Array.from(rows.userIndices.subarray(enc.layout.userFields.length)),
    );
  });

  it('gives ids only to training items, so a new item encodes as unknown (0)', () => {
    const enc = datasetRowEncoder(dataset, { itemCount: 2, users: Int32Array.of(0), items: Int32Array.of(0) }, { includeItemId: true });
    const rows = enc.rows(0, Int32Array.of(0, 1));
    const width = enc.layout.itemFields.length;
    expect(enc.layout.itemFields[0].name).toBe('item_id');
    expect(rows.itemIndices[0]).toBeGreaterThan(0);
    expect(rows.itemIndices[width]).toBe(0);
  });
});
