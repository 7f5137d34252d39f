import { describe, expect, it } from 'vitest';

import { buildColdStartSplit } from '../protocol/cold-start-split.js';
import { syntheticRatingsTable } from '../testing.js';
import { bucketRange, SUPPORT_BUCKET_STARTS, supportBucket } from '@metarec/meta-learning';
import { userFolds } from './validation-episodes.js';

const table = syntheticRatingsTable({ users: 150, items: 120, ratingsPerUser: [20, 70], seed: 4 });
const split = buildColdStartSplit(table, 0);

describe('userFolds', () => {
  const folds = userFolds(split.training, { folds: 3, seed: 7 });

  it('partitions the training users: each fold validates users its inner set does not contain', () => {
    const seen = new Set<number>();
    for (const fold of folds) {
      const inner = new Set(fold.inner.users);
      const validated = new Set(fold.episodes.map((e) => e.user));
      for (const u of validated) {
        expect(inner.has(u)).toBe(false);
        expect(seen.has(u)).toBe(false);
        seen.add(u);
      }
    }
    const trainingUsers = new Set(split.training.users);
    expect([...seen].every((u) => trainingUsers.has(u))).toBe(true);
    expect(seen.size).toBe(trainingUsers.size);
  });

  it('re-splits a user into disjoint support and query, negatives outside their ratings, one episode per bucket it can fill', () => {
    const byUser = new Map(split.training.tasks.map((t) => [t.user, new Set(t.supportItems)]));
    for (const e of folds[0].episodes) {
      const rated = byUser.get(e.user) ?? new Set();
      const query = new Set(e.queryItems);
      expect(Array.from(e.supportItems).some((i) => query.has(i))).toBe(false);
      expect(Array.from(e.negatives).some((i) => rated.has(i))).toBe(false);
      expect(e.negatives.length).toBe(Math.min(100, 120 - rated.size));
    }
    const user = folds[0].episodes[0].user;
    const sizes = folds[0].episodes.filter((e) => e.user === user).map((e) => supportBucket(e.supportItems.length));
    expect(sizes).toEqual(Array.from({ length: sizes.length }, (_, b) => b));
    expect(sizes.length).toBeGreaterThanOrEqual(5);
  });

  it('is deterministic in its seed', () => {
    const again = userFolds(split.training, { folds: 3, seed: 7 });
    expect(again[1].episodes.map((e) => Array.from(e.supportItems))).toEqual(folds[1].episodes.map((e) => Array.from(e.supportItems)));
  });
});

describe('support buckets', () => {
  it('map sizes to buckets consistently with their ranges', () => {
    for (let b = 0; b < SUPPORT_BUCKET_STARTS.length; b++) {
      const { lo, hi } = bucketRange(b, 90);
      expect(supportBucket(lo)).toBe(b);
      expect(supportBucket(hi)).toBe(b);
    }
  });
});
