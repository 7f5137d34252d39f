import { describe, expect, it } from 'vitest';

import { countCoOccurrence, topFollowers } from './count-co-occurrence.js';

const e = (user_id: string, item_id: string, timestamp_ms: number): { user_id: string; item_id: string; timestamp_ms: number } => ({ user_id, item_id, timestamp_ms });

describe('countCoOccurrence', () => {
  it('counts directed pairs within each user latest distinct items, in event-time order', () => {
    // Input order differs from time order: u1 went a, b, c; u2 went old, a, b.
    const counts = countCoOccurrence([e('u1', 'c', 3), e('u1', 'a', 1), e('u2', 'a', 2), e('u1', 'b', 2), e('u2', 'b', 3), e('u2', 'old', 0)], 2);
    expect(Object.fromEntries([...counts].map(([k, v]) => [k, Object.fromEntries(v)]))).toEqual({
      a: { b: 2, c: 1 },
      b: { c: 1 },
      old: { a: 1, b: 1 }, // window 2: old is still among u2's latest two items when b arrives
    });
  });

  it('drops items beyond the window and does not pair an item with itself', () => {
    const counts = countCoOccurrence([e('u', 'a', 1), e('u', 'b', 2), e('u', 'a', 3), e('u', 'c', 4), e('u', 'd', 5)], 2);
    // after a,b,a the latest distinct are [a, b]; c pairs with a and b; d pairs with c and a (b fell out).
    expect(counts.get('b')).toEqual(new Map([['a', 1], ['c', 1]]));
    expect(counts.get('a')).toEqual(new Map([['b', 1], ['c', 1], ['d', 1]]));
    expect(counts.get('c')).toEqual(new Map([['d', 1]]));
    expect(counts.get('d')).toBeUndefined();
  });

  it('topFollowers keeps the k largest, ties by id', () => {
    expect(topFollowers(new Map([['z', 1], ['y', 3], ['x', 1]]), 2)).toEqual([['y', 3], ['x', 1]]);
  });
});
