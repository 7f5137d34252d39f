import { describe, expect, it } from 'vitest';

import { makeInteraction, TEST_TIME_MS } from '../testing.js';
import { foldInteractions } from './fold-interactions.js';

const HOUR = 3_600_000;

describe('foldInteractions', () => {
  const entries = [
    makeInteraction({ user_id: 'u1', item_id: 'a', timestamp_ms: TEST_TIME_MS }),
    makeInteraction({ user_id: 'u2', item_id: 'a', timestamp_ms: TEST_TIME_MS + 1 }),
    makeInteraction({ user_id: 'u1', item_id: 'b', timestamp_ms: TEST_TIME_MS + HOUR }),
  ].map((record, i) => ({ offset: BigInt(i), record }));

  it('groups event JSONs per user in offset order and sums popularity per bucket and item', () => {
    expect(foldInteractions(entries, { coOccurrenceWindow: 0, popularityBucketMs: HOUR })).toEqual([
      2,
      'u1', 2, JSON.stringify(entries[0].record), JSON.stringify(entries[2].record),
      'u2', 1, JSON.stringify(entries[1].record),
      HOUR, 2,
      TEST_TIME_MS, 1, 'a', 2,
      TEST_TIME_MS + HOUR, 1, 'b', 1,
    ]);
  });

  it("adds each user's item ids in order when per-event co-occurrence is on", () => {
    const args = foldInteractions(entries, { coOccurrenceWindow: 3, popularityBucketMs: HOUR });
    expect(args.slice(0, 9)).toEqual([2, 'u1', 2, JSON.stringify(entries[0].record), JSON.stringify(entries[2].record), 'a', 'b', 'u2', 1]);
  });
});
