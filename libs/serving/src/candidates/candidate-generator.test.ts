import type { Interaction } from '@metarec/schemas';
import { describe, expect, it } from 'vitest';

import { InMemoryFeatureReader } from '../testing/in-memory-feature-reader.js';
import { CandidateGenerator } from './candidate-generator.js';

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

  it('takes new items from the reader when it lists them', async () => {
    const reader = new InMemoryFeatureReader({ interactions: events });
    const withNew = Object.assign(reader, { newItems: async () => [{ itemId: 'fresh', score: 0 }] });
    const result = await new CandidateGenerator({ reader: withNew, size: 10 }).generate({ recent: [], isNewItem: () => false });
    expect(result.itemIds[0]).toBe('fresh');
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
