import type { ItemProfile } from '@metarec/schemas';
import { describe, expect, it } from 'vitest';

import { InMemoryFeatureReader } from '../testing/in-memory-feature-reader.js';
import { ItemProfileCache } from './item-profile-cache.js';

function item(id: string, updatedAtMs: number, title = id): ItemProfile {
  return { item_id: id, title, categories: [], release_year: null, numeric_attributes: {}, updated_at_ms: updatedAtMs };
}

describe('ItemProfileCache', () => {
  it('reads only ids it never saw, and serves the rest from memory', async () => {
    const reader = new InMemoryFeatureReader({ items: [item('a', 1), item('b', 1)] });
    const cache = new ItemProfileCache({ reader });
    expect((await cache.get(['a', 'x'])).profiles.map((p) => p?.item_id ?? null)).toEqual(['a', null]);
    const reads = reader.reads;
    expect((await cache.get(['a', 'x', 'a'])).profiles.map((p) => p?.item_id ?? null)).toEqual(['a', null, 'a']);
    expect(reader.reads).toBe(reads);
  });

  it('serves an expired profile at once and refreshes it in the background; the epoch moves only on a change', async () => {
    let now = 0;
    const reader = new InMemoryFeatureReader({ items: [item('a', 1), item('b', 1)] });
    const cache = new ItemProfileCache({ reader, ttlMs: 100, now: () => now });
    await cache.get(['a', 'b']);
    const epoch = cache.epoch;
    now = 100;
    await cache.get(['a', 'b']);
    await cache.settled();
    expect(cache.epoch).toBe(epoch);
    reader.addItem(item('a', 2, 'renamed'));
    now = 200;
    const served = await cache.get(['a']);
    expect(served.profiles[0]?.title).toBe('a');
    await cache.settled();
    expect(cache.epoch).toBe(epoch + 1);
    expect((await cache.get(['a'])).profiles[0]?.title).toBe('renamed');
  });

  it('moves the epoch when a profile is evicted (it may change before it is read again)', async () => {
    const reader = new InMemoryFeatureReader({ items: [item('a', 1), item('b', 1)] });
    const cache = new ItemProfileCache({ reader, maxEntries: 1 });
    await cache.get(['a']);
    const epoch = cache.epoch;
    await cache.get(['b']);
    expect(cache.size).toBe(1);
    expect(cache.epoch).toBe(epoch + 1);
  });

  it('answers with nulls and a reason when the store fails for unseen ids; a failed refresh keeps the old profile', async () => {
    let now = 0;
    const reader = new InMemoryFeatureReader({ items: [item('a', 1)] });
    const cache = new ItemProfileCache({ reader, ttlMs: 10, now: () => now });
    await cache.get(['a']);
    reader.failWith = new Error('redis down');
    now = 50;
    const result = await cache.get(['a', 'new']);
    expect(result.profiles.map((p) => p?.item_id ?? null)).toEqual(['a', null]);
    expect(result.degraded).toMatch(/^item profiles unavailable \(redis down\)/);
    await cache.settled();
    expect(cache.refreshError).toBeInstanceOf(Error);
  });

  it('moves the epoch once the store is back, so scores derived from the nulls served during the outage are dropped', async () => {
    const reader = new InMemoryFeatureReader({ items: [item('a', 1)] });
    const cache = new ItemProfileCache({ reader });
    reader.failWith = new Error('redis down');
    expect((await cache.get(['a'])).profiles).toEqual([null]);
    const during = cache.epoch;
    reader.failWith = null;
    expect((await cache.get(['a'])).profiles[0]?.item_id).toBe('a');
    expect(cache.epoch).not.toBe(during);
  });
});
