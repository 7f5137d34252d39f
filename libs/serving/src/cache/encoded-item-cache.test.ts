import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ServingModel } from '../model/serving-model.js';
import { buildTestServing, type TestServing } from '../testing.js';
import { EncodedItemCache } from './encoded-item-cache.js';

let t: TestServing;
let model: ServingModel;

beforeAll(async () => {
  t = await buildTestServing();
  model = t.service.holder.model as ServingModel;
});

afterAll(async () => {
  await t.close();
});

describe('EncodedItemCache', () => {
  it('gives the rows the encoder gives, for repeats, unknown items and past its first growth', () => {
    const known = t.world.dataset.items;
    const ids = [...known.map((i) => i.item_id), known[0].item_id, ...Array.from({ length: 1500 }, (_, i) => `unknown-${i}`)];
    const profiles = [...known, known[0], ...new Array<null>(1500).fill(null)];
    const cache = new EncodedItemCache(10_000);
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
    const cache = new EncodedItemCache(3);
    // Copies: the cache reuses its output buffers on the next call.
    const before = Float32Array.from(cache.rows(model, 0, [item.item_id], [item]).itemNumeric);
    const changed = { ...item, numeric_attributes: Object.fromEntries(Object.keys(item.numeric_attributes).map((k) => [k, 1e3])) };
    expect(cache.rows(model, 0, [item.item_id], [changed]).itemNumeric).toEqual(before);
    expect(before).not.toEqual(model.encodeItems([changed]).numeric);
    expect(cache.rows(model, 1, [item.item_id], [changed]).itemNumeric).toEqual(model.encodeItems([changed]).numeric);
    cache.rows(model, 1, ['a', 'b', 'c'], [null, null, null]);
    expect(cache.size).toBeLessThanOrEqual(3);
  });
});
