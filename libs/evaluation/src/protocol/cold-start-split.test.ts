import { describe, expect, it } from 'vitest';

import { EvalConfigError } from '../errors.js';
import { syntheticRatingsTable } from '../testing.js';
import { buildColdStartSplit } from './cold-start-split.js';
import { newItemMask, quantileSorted } from './new-item-mask.js';
import { ALL_SCENARIOS, SCENARIOS } from './scenario.js';

const table = syntheticRatingsTable({ users: 150, items: 220, ratingsPerUser: [10, 110], seed: 3 });

describe('buildColdStartSplit', () => {
  const split = buildColdStartSplit(table, 7);

  it('holds out 20% of users and the latest 20% of release dates', () => {
    expect(split.isTestUser.reduce((n, f) => n + f, 0)).toBe(30);
    const newCount = split.isNewItem.reduce((n, f) => n + f, 0);
    expect(newCount).toBeGreaterThanOrEqual(44);
    expect(newCount).toBeLessThanOrEqual(45);
    expect(split.itemPools.new.length + split.itemPools.existing.length).toBe(220);
  });

  it('builds MeLU tasks: right users and items per scenario, 10 query, 13–100 ratings, disjoint support', () => {
    for (const s of ALL_SCENARIOS) {
      expect(split.scenarios[s].length).toBeGreaterThan(0);
      for (const t of split.scenarios[s]) {
        expect(split.isTestUser[t.user] === 1).toBe(SCENARIOS[s].coldUser);
        expect(t.queryItems.length).toBe(10);
        const n = t.queryItems.length + t.supportItems.length;
        expect(n).toBeGreaterThanOrEqual(13);
        expect(n).toBeLessThanOrEqual(100);
        for (const i of [...t.queryItems, ...t.supportItems]) {
          expect(split.isNewItem[i] === 1).toBe(SCENARIOS[s].coldItem);
        }
        const support = new Set(t.supportItems);
        expect(t.queryItems.some((i) => support.has(i))).toBe(false);
      }
    }
  });

  it('trains on warm support sets only: no query item of any scenario is a training row of its user', () => {
    const trained = new Set(Array.from(split.training.users, (u, r) => `${u}:${split.training.items[r]}`));
    expect(split.training.users.length).toBe(split.scenarios.warm.reduce((n, t) => n + t.supportItems.length, 0));
    for (const s of ALL_SCENARIOS) {
      for (const t of split.scenarios[s]) {
        for (const i of t.queryItems) {
          expect(trained.has(`${t.user}:${i}`)).toBe(false);
        }
      }
    }
  });

  it('samples negatives the user never rated, from the scenario pool', () => {
    const rated = new Set(Array.from(table.users, (u, r) => `${u}:${table.items[r]}`));
    for (const t of split.scenarios.new_user) {
      const unrated = split.itemPools.existing.filter((i) => !rated.has(`${t.user}:${i}`)).length;
      expect(t.negatives.length).toBe(Math.min(100, unrated));
      expect(new Set(t.negatives).size).toBe(t.negatives.length);
      for (const i of t.negatives) {
        expect(rated.has(`${t.user}:${i}`)).toBe(false);
        expect(split.isNewItem[i]).toBe(0);
      }
    }
  });

  it('is deterministic in the seed and differs across seeds', () => {
    const again = buildColdStartSplit(table, 7);
    const other = buildColdStartSplit(table, 8);
    expect(Array.from(again.isTestUser)).toEqual(Array.from(split.isTestUser));
    expect(Array.from(again.scenarios.warm[0].queryItems)).toEqual(Array.from(split.scenarios.warm[0].queryItems));
    expect(Array.from(other.isTestUser)).not.toEqual(Array.from(split.isTestUser));
  });

  it('rejects a query size that leaves no support', () => {
    expect(() => buildColdStartSplit(table, 1, { queryCount: 13 })).toThrow(EvalConfigError);
  });
});

describe('newItemMask', () => {
  it('uses the numpy-style linear quantile and counts ties and unknown dates as the reference does', () => {
    expect(quantileSorted(Float64Array.from([1, 2, 3, 4, 5]), 0.8)).toBeCloseTo(4.2, 12);
    const { mask, cutoffMs } = newItemMask(Float64Array.from([1, 2, 3, 4, 5, Number.NaN]), 0.2);
    expect(cutoffMs).toBeCloseTo(4.2, 12);
    expect(Array.from(mask)).toEqual([0, 0, 0, 0, 1, 0]);
    expect(Array.from(newItemMask(Float64Array.from([1, 2, 3]), 0.2, 2).mask)).toEqual([0, 1, 1]);
  });
});
