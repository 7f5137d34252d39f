import { describe, expect, it } from 'vitest';

import type { ItemCount } from '../features/feature-reader.js';
import { CoOccurrenceMerge, type SeedList } from './co-occurrence-merge.js';

let serial = 0;
function list(seed: string, items: [string, number][]): SeedList {
  return { seed, items: items.map(([itemId, score]): ItemCount => ({ itemId, score })), serial: serial++ };
}

describe('CoOccurrenceMerge', () => {
  it('orders ids by summed score, ties by id, and hands a single list back in its own order', () => {
    const merge = new CoOccurrenceMerge(10);
    const a = list('a', [['x', 3], ['y', 2], ['z', 1]]);
    const b = list('b', [['z', 3], ['w', 1], ['y', 1]]);
    expect(merge.ids([a, b])).toEqual(['z', 'x', 'y', 'w']);
    expect(merge.ids([list('c', [['q', 1], ['p', 5]])])).toEqual(['q', 'p']);
    expect(merge.ids([list('d', [['m', 2], ['k', 2]]), list('e', [])])).toEqual(['k', 'm']);
    expect(merge.ids([])).toEqual([]);
  });

  it('reuses the merged array while every source is the same read, and recomputes when one is re-read', () => {
    const merge = new CoOccurrenceMerge(10);
    const a = list('a', [['x', 1]]);
    const b = list('b', [['y', 2]]);
    const first = merge.ids([a, b]);
    expect(merge.ids([a, b])).toBe(first);
    const b2 = list('b', [['y', 0.5]]);
    const second = merge.ids([a, b2]);
    expect(second).not.toBe(first);
    expect(second).toEqual(['x', 'y']);
    expect(merge.ids([a, b2])).toBe(second);
    // The same seeds summed in another order are another entry: float sums depend on the order.
    expect(merge.ids([b2, a])).not.toBe(second);
  });

  it('keeps at most maxEntries seed tuples', () => {
    const merge = new CoOccurrenceMerge(3);
    const lists = Array.from({ length: 10 }, (_, i) => list(`s${i}`, [['x', i]]));
    for (const seedList of lists) {
      merge.ids([seedList]);
    }
    expect(merge.size).toBe(3);
    const last = merge.ids([lists[9]]);
    expect(merge.ids([lists[9]])).toBe(last);
    merge.clear();
    expect(merge.size).toBe(0);
  });
});
