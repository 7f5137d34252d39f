import { describe, expect, it } from 'vitest';

import { EvalConfigError } from '../errors.js';
import { fitItemItem, itemItemScores } from './item-item-model.js';

/** Users 0–9 choose items {0, 1, 2}; users 10–14 choose {3, 4}; item 5 is never chosen. */
function clustered(): { users: Int32Array; items: Int32Array } {
  const users: number[] = [];
  const items: number[] = [];
  for (let u = 0; u < 15; u++) {
    for (const i of u < 10 ? [0, 1, 2] : [3, 4]) {
      users.push(u);
      items.push(i);
    }
  }
  return { users: Int32Array.from(users), items: Int32Array.from(items) };
}

describe('fitItemItem (EASE)', () => {
  it('scores what is chosen together: support {3} puts 4 above the more popular 0–2', () => {
    const { users, items } = clustered();
    const model = fitItemItem(users, items, 6, { l2: 1 });
    const s = itemItemScores(model, [3], [0, 1, 2, 4]);
    expect(s[3]).toBeGreaterThan(Math.max(s[0], s[1], s[2]));
    const t = itemItemScores(model, [0], [1, 4]);
    expect(t[0]).toBeGreaterThan(t[1]);
  });

  it('has a zero diagonal, leaves never-chosen items out of the vocabulary, and duplicates count once', () => {
    const { users, items } = clustered();
    const model = fitItemItem(users, items, 6, { l2: 1 });
    for (let k = 0; k < model.size; k++) {
      expect(model.weights[k * model.size + k]).toBe(0);
    }
    expect(model.slot[5]).toBe(-1);
    expect(Array.from(itemItemScores(model, [0, 5], [5]))).toEqual([0]);
    const doubled = fitItemItem(Int32Array.from([...users, ...users]), Int32Array.from([...items, ...items]), 6, { l2: 1 });
    expect(Array.from(doubled.weights)).toEqual(Array.from(model.weights));
  });

  it('keeps the maxItems most-chosen items and rejects a non-positive λ', () => {
    const { users, items } = clustered();
    const capped = fitItemItem(users, items, 6, { l2: 1, maxItems: 3 });
    expect(capped.size).toBe(3);
    expect([3, 4].map((i) => capped.slot[i])).toEqual([-1, -1]);
    expect(() => fitItemItem(users, items, 6, { l2: 0 })).toThrow(EvalConfigError);
  });
});
