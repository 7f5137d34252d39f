import type { ItemRows } from '@metarec/meta-learning';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import type { ServingModel } from '../model/serving-model.js';
import { buildTestServing, type TestServing } from '../testing.js';
import { ItemDerivedCache } from './item-derived-cache.js';

let t: TestServing;
let model: ServingModel;

beforeAll(async () => {
  t = await buildTestServing();
  model = t.service.holder.model as ServingModel;
});

afterAll(async () => {
  await t.close();
});

describe('ItemDerivedCache', () => {
  it('gives the rows the encoder gives, for repeats, unknown items and past its first growth', () => {
    const known = t.world.dataset.items;
    const ids = [...known.map((i) => i.item_id), known[0].item_id, ...Array.from({ length: 1500 }, (_, i) => `unknown-${i}`)];
    const profiles = [...known, known[0], ...new Array<null>(1500).fill(null)];
    const cache = new ItemDerivedCache(10_000);
    cache.rows(model, 0, ids.slice(0, 50), profiles.slice(0, 50));
    const rows = cache.rows(model, 0, ids, profiles);
    const expected = model.encodeItems(profiles.map((p, i) => p ?? { item_id: ids[i] }));
    expect(rows.count).toBe(ids.length);
    expect(rows.itemIndices).toEqual(expected.fields);
    expect(rows.itemCategories).toEqual(expected.categories);
    expect(rows.itemNumeric).toEqual(expected.numeric);
    expect(cache.size).toBe(ids.length - 1);
  });

  it('encodes again under a new catalog epoch (a changed profile) and starts over past maxRows', () => {
    const item = t.world.dataset.items[1];
    const cache = new ItemDerivedCache(3);
    // Copies: the cache reuses its output buffers on the next call.
    const before = Float32Array.from(cache.rows(model, 0, [item.item_id], [item]).itemNumeric);
    const changed = { ...item, numeric_attributes: Object.fromEntries(Object.keys(item.numeric_attributes).map((k) => [k, 1e3])) };
    expect(cache.rows(model, 0, [item.item_id], [changed]).itemNumeric).toEqual(before);
    expect(before).not.toEqual(model.encodeItems([changed]).numeric);
    expect(cache.rows(model, 1, [item.item_id], [changed]).itemNumeric).toEqual(model.encodeItems([changed]).numeric);
    cache.rows(model, 1, ['a', 'b', 'c'], [null, null, null]);
    expect(cache.size).toBeLessThanOrEqual(3);
  });

  it('derives a discrimination once per item from the rows it holds, and forgets it with them', () => {
    const items = t.world.dataset.items.slice(0, 6);
    const ids = items.map((i) => i.item_id);
    const cache = new ItemDerivedCache(100);
    const derived: number[] = [];
    const expectedRows: Float32Array[] = [];
    const derive = (_model: ServingModel, rows: ItemRows): Float64Array => {
      expectedRows.push(Float32Array.from(rows.itemNumeric));
      derived.push(rows.count);
      // Any function of the row: its first field index.
      return Float64Array.from({ length: rows.count }, (_, k) => rows.itemIndices[(k * rows.itemIndices.length) / rows.count]);
    };
    const encode = vi.spyOn(model, 'encodeItems');
    try {
      cache.rows(model, 0, ids.slice(0, 3), items.slice(0, 3));
      expect(encode).toHaveBeenCalledTimes(1);
      const first = cache.discrimination(model, 0, ids, items, derive);
      // Only the three items not held yet were encoded, all six derived in one batch from held rows.
      expect(encode).toHaveBeenCalledTimes(2);
      expect(encode.mock.calls[1][0].map((i) => i.item_id)).toEqual(ids.slice(3));
      expect(derived).toEqual([6]);
      expect(first).toEqual(Float64Array.from(ids, (_, k) => model.encodeItems([items[k]]).fields[0]));
      expect(expectedRows[0]).toEqual(model.encodeItems(items).numeric);
      expect(cache.discrimination(model, 0, [...ids].reverse(), [...items].reverse(), derive)).toEqual(first.reverse());
      expect(derived).toHaveLength(1);
      expect(cache.rows(model, 0, ids, items).itemNumeric).toEqual(model.encodeItems(items).numeric);
      // Another epoch: rows and discriminations start over together.
      const calls = encode.mock.calls.length;
      cache.discrimination(model, 1, ids, items, derive);
      expect(derived).toHaveLength(2);
      expect(encode.mock.calls.length).toBe(calls + 1);
    } finally {
      encode.mockRestore();
    }
  });
});
