import type { Interaction, ItemProfile } from '@metarec/schemas';
import { describe, expect, it } from 'vitest';

import { InMemoryFeatureReader } from '../testing/in-memory-feature-reader.js';
import { CandidateGenerator } from './candidate-generator.js';

function item(id: string, publishedAtMs: number): ItemProfile {
  return { item_id: id, title: id, categories: [], release_year: null, numeric_attributes: {}, updated_at_ms: publishedAtMs };
}

function event(user: string, item: string, t: number): Interaction {
  return { user_id: user, item_id: item, event_type: 'rating', value: 4, timestamp_ms: t, session_id: null, device: null };
}

// Popularity: p1 (3), p2 (2), then the rest once. Co-occurrence: a with b and x.
const events = [event('u1', 'p1', 1), event('u2', 'p1', 2), event('u3', 'p1', 3), event('u1', 'p2', 4), event('u2', 'p2', 5), event('v', 'a', 6), event('v', 'b', 7), event('w', 'a', 8), event('w', 'x', 9), event('z', 'new1', 10)];

describe('CandidateGenerator', () => {
  it('puts items co-occurring with the user’s recent ones first, then popular, minus seen and excluded', async () => {
    const reader = new InMemoryFeatureReader({ interactions: events });
    const generator = new CandidateGenerator({ reader, size: 10, newItemShare: 0 });
    const result = await generator.generate({ recent: [event('me', 'a', 20)], exclude: new Set(['p2']), isNewItem: () => false });
    expect(result.itemIds.slice(0, 2).sort()).toEqual(['b', 'x']);
    expect(result.itemIds).not.toContain('a');
    expect(result.itemIds).not.toContain('p2');
    expect(result.itemIds).toContain('p1');
    expect(result.counts.coOccurring).toBe(2);
    expect(result.degraded).toEqual([]);
  });

  it('reserves a share for items new to the model even when popular ones would fill the list', async () => {
    const reader = new InMemoryFeatureReader({ interactions: events });
    const generator = new CandidateGenerator({ reader, size: 2, newItemShare: 0.5 });
    const result = await generator.generate({ recent: [], isNewItem: (id) => id === 'new1' });
    expect(result.itemIds).toEqual(['new1', 'p1']);
    expect(result.counts.newItems).toBe(1);
  });

  it('fills the new-item share (default 10 %) with the store’s newest items, newest first, minus seen and excluded', async () => {
    const reader = new InMemoryFeatureReader({ interactions: events, items: [item('old', 1), item('n1', 100), item('n2', 200), item('n3', 300), item('n4', 400)] });
    const generator = new CandidateGenerator({ reader, size: 20 });
    const result = await generator.generate({ recent: [event('me', 'n4', 20)], exclude: new Set(['n3']), isNewItem: () => false });
    // 10 % of 20 = 2 slots: n4 was seen, n3 excluded, so n2 and n1; the rest from popularity.
    expect(result.itemIds.slice(0, 2)).toEqual(['n2', 'n1']);
    expect(result.counts.newItems).toBe(2);
    expect(result.itemIds).not.toContain('n4');
    expect(result.itemIds).not.toContain('n3');
    expect(result.itemIds).toContain('p1');
    expect(result.itemIds.filter((id) => id.startsWith('n') && id !== 'new1')).toHaveLength(2);
  });

  it('sees an item published after the list was read once the newest list expires', async () => {
    let now = 0;
    const reader = new InMemoryFeatureReader({ interactions: events, items: [item('n1', 100)] });
    const generator = new CandidateGenerator({ reader, size: 10, newestTtlMs: 1_000, now: () => now });
    expect((await generator.generate({ recent: [], isNewItem: () => false })).itemIds[0]).toBe('n1');
    reader.addItem(item('n2', 200));
    expect((await generator.generate({ recent: [], isNewItem: () => false })).itemIds[0]).toBe('n1');
    now = 1_000;
    expect((await generator.generate({ recent: [], isNewItem: () => false })).itemIds[0]).toBe('n2');
  });

  it('reads a seed’s co-occurrence list once per TTL and serves the last good copy when the store fails', async () => {
    let now = 0;
    const reader = new InMemoryFeatureReader({ interactions: events });
    const generator = new CandidateGenerator({ reader, size: 10, newItemShare: 0, coOccurrenceTtlMs: 1_000, popularTtlMs: 100_000, now: () => now });
    const request = { recent: [event('me', 'a', 20)], isNewItem: (): boolean => false };
    const first = await generator.generate(request);
    const reads = reader.reads;
    expect((await generator.generate(request)).itemIds).toEqual(first.itemIds);
    expect(reader.reads).toBe(reads);
    now = 1_000;
    reader.failWith = new Error('redis down');
    const stale = await generator.generate(request);
    expect(stale.itemIds).toEqual(first.itemIds);
    expect(stale.degraded).toEqual([expect.stringMatching(/^co-occurrence unavailable \(.*redis down.*\): 1 of 1 seeds from the last good copy/)]);
  });

  it('falls back to the last good popular list with a reason when the store fails', async () => {
    let now = 0;
    const reader = new InMemoryFeatureReader({ interactions: events });
    const generator = new CandidateGenerator({ reader, size: 3, popularTtlMs: 10, newItemShare: 0, now: () => now });
    const good = await generator.generate({ recent: [], isNewItem: () => false });
    reader.failWith = new Error('redis down');
    now = 1_000;
    const degraded = await generator.generate({ recent: [event('me', 'a', 20)], isNewItem: () => false });
    expect(good.itemIds).toEqual(['p1', 'a', 'p2']);
    expect(degraded.itemIds).toEqual(['p1', 'p2', 'b']);
    expect(degraded.degraded).toHaveLength(2);
    expect(degraded.degraded[0]).toMatch(/^co-occurrence unavailable/);
    expect(degraded.degraded[1]).toMatch(/last good copy used/);
  });
});
