import { createMetaModel, initParams, selectBackend } from '@metarec/meta-learning';
import { createSyntheticTasks, syntheticLayout } from '@metarec/meta-learning/testing';
import type { EncodedRows, UserTask } from '@metarec/schemas';
import { beforeAll, describe, expect, it } from 'vitest';

import { EvalConfigError } from '../errors.js';
import type { EvalTask } from '../protocol/eval-task.js';
import type { Recommender } from '../recommender/recommender.js';
import { evaluateHeldOut, evaluateOnSplit, HELD_OUT_BASELINES } from './evaluate-held-out.js';
import { withHeldOutNegatives } from './held-out-negatives.js';
import { itemFeatureRows, rowsForItems } from './item-feature-rows.js';
import { userTaskSplit } from './user-task-split.js';

/** Rows carrying only what the baselines read (a layout without fields). */
function rows(ratings: ReadonlyArray<[string, number]>): EncodedRows {
  return {
    count: ratings.length,
    userIndices: new Int32Array(0),
    itemIndices: new Int32Array(0),
    itemCategories: new Float32Array(0),
    itemNumeric: new Float32Array(0),
    labels: Float32Array.from(ratings, ([, label]) => label),
    itemIds: ratings.map(([id]) => id),
  };
}

const task = (userId: string, support: ReadonlyArray<[string, number]>, query: ReadonlyArray<[string, number]>): UserTask => ({ userId, support: rows(support), query: rows(query) });
const STARS = { ratingScale: { min: 1, max: 5 } } as const;

// 30 training items i0..i29, i0 the most rated, i29 the least (i rated by 30 − i users... capped at the user count).
const ITEMS = Array.from({ length: 30 }, (_, i) => `i${i}`);
const train = Array.from({ length: 30 }, (_, u) => task(`t${u}`, ITEMS.slice(0, 30 - u).map((id) => [id, 3] as [string, number]), []));
// Held-out users: support on popular items, query mixing liked (5) and disliked (2) items, plus one item no training user rated.
const heldOut = [
  task('h1', [['i0', 4]], [['i5', 5], ['i20', 2], ['new', 5]]),
  task('h2', [['i1', 4], ['i2', 3]], [['i25', 5], ['i3', 2]]),
  task('h3', [['i4', 4]], [['i6', 2], ['i7', 1]]),
];

/** Liked (4+) query items of each task's user. */
function likedOf(tasks: readonly EvalTask[]): Map<number, Set<number>> {
  return new Map(tasks.map((t) => [t.user, new Set(Array.from(t.queryItems).filter((_, j) => t.queryRatings[j] >= 4))]));
}

/** Scores the user's liked query items `hit`, everything else `miss` (hit > miss: knows the answers, a perfect list). */
function oracle(liked: ReadonlyMap<number, ReadonlySet<number>>, hit = 10, miss = 0): Recommender {
  return { name: 'oracle', predictsRatings: true, fit: () => ({}), predict: (user, _support, items) => Float32Array.from(items, (i) => (liked.get(user)?.has(i) === true ? hit : miss)) };
}

describe('withHeldOutNegatives', () => {
  const split = userTaskSplit(train, heldOut);

  it("draws only training items, never one of the user's support or query items", () => {
    const sampled = withHeldOutNegatives(split, { negativeCount: 100, seed: 1 });
    const trainingItems = new Set(split.training.items);
    for (const t of sampled.tasks) {
      const own = new Set([...t.supportItems, ...t.queryItems]);
      expect(t.negatives.length).toBe(30 - [...own].filter((i) => trainingItems.has(i)).length);
      expect(new Set(t.negatives).size).toBe(t.negatives.length);
      for (const i of t.negatives) {
        expect(own.has(i)).toBe(false);
        expect(trainingItems.has(i)).toBe(true);
      }
    }
  });

  it('draws the same items for the same seed and other ones for another', () => {
    const of = (seed: number): number[][] => withHeldOutNegatives(split, { negativeCount: 5, seed }).tasks.map((t) => Array.from(t.negatives));
    expect(of(3)).toEqual(of(3));
    expect(of(3)).not.toEqual(of(4));
    expect(of(3).every((n) => n.length === 5)).toBe(true);
  });

  it('refuses a negative count that is not a non-negative integer', () => {
    expect(() => withHeldOutNegatives(split, { negativeCount: -1 })).toThrow(EvalConfigError);
    expect(() => withHeldOutNegatives(split, { negativeCount: 2.5 })).toThrow(EvalConfigError);
  });
});

describe('held-out list metrics', () => {
  const split = withHeldOutNegatives(userTaskSplit(train, heldOut), { negativeCount: 20, seed: 2 });
  const liked = likedOf(split.tasks);

  it('gives nDCG@10, recall@10 and AUC of 1 to a method that ranks the liked query items first', async () => {
    const m = await evaluateOnSplit(oracle(liked), split, STARS);
    expect({ ndcg10: m.ndcg10, recall10: m.recall10, auc: m.auc }).toEqual({ ndcg10: 1, recall10: 1, auc: 1 });
  });

  it('gives a method that ranks them last AUC 0 and recall@10 below 1', async () => {
    const m = await evaluateOnSplit(oracle(liked, 0, 10), split, STARS);
    expect(m.auc).toBe(0);
    expect(m.recall10).toBeLessThan(1);
    expect(m.ndcg10).toBeLessThan(1);
  });

  it('leaves out users without a liked query item (h3) and is NaN when no user has one', async () => {
    const perUser = await evaluateOnSplit(oracle(liked), { ...split, tasks: split.tasks.slice(2) }, STARS);
    expect([perUser.ndcg10, perUser.recall10, perUser.auc]).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    expect(perUser.mae).toBeGreaterThan(0);
  });

  it('has no list metrics on tasks without sampled negatives (a list of positives only is not a list)', async () => {
    const m = await evaluateOnSplit(oracle(liked), userTaskSplit(train, heldOut), STARS);
    expect([m.ndcg10, m.recall10, m.auc]).toEqual([Number.NaN, Number.NaN, Number.NaN]);
  });

  it('gives popularity list metrics but no rating metrics', async () => {
    const m = await evaluateOnSplit(HELD_OUT_BASELINES.popularity(), split, STARS);
    expect([m.mae, m.rmse, m.nmae, m.nrmse]).toEqual([Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    for (const v of [m.ndcg10, m.recall10, m.auc, m.ndcg]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    // h1's liked i5 (rated by 25 training users) and h2's liked i25 (5 users) against at most 20 less popular and more popular items.
    expect(m.auc).toBeGreaterThan(0);
    expect(m.auc).toBeLessThan(1);
  });

  it('takes positives at label 1 on a 0/1 scale (implicit feedback)', async () => {
    const implicit = [task('h1', [['i0', 1]], [['i5', 1], ['i6', 0]]), task('h2', [['i1', 1]], [['i7', 0]])];
    const s = withHeldOutNegatives(userTaskSplit(train, implicit), { negativeCount: 20, seed: 2 });
    const i5 = s.itemIds.indexOf('i5');
    const i6 = s.itemIds.indexOf('i6');
    // Label-0 query items stay out of the list. Were they positives, h2's i7 (scored 0, tied with its negatives) would cost AUC and recall.
    const rec: Recommender = { ...oracle(new Map()), predict: (_u, _sup, items) => Float32Array.from(items, (i) => (i === i6 ? 20 : i === i5 ? 10 : 0)) };
    const m = await evaluateOnSplit(rec, s, { ratingScale: { min: 0, max: 1 } });
    expect({ ndcg10: m.ndcg10, recall10: m.recall10, auc: m.auc }).toEqual({ ndcg10: 1, recall10: 1, auc: 1 });
  });
});

describe('itemFeatureRows', () => {
  /** One row: user field, item field, 1 category, 1 numeric. */
  const encoded = (user: number, items: ReadonlyArray<[string, number]>): EncodedRows => ({
    count: items.length,
    userIndices: new Int32Array(items.length).fill(user),
    itemIndices: Int32Array.from(items, ([, index]) => index),
    itemCategories: Float32Array.from(items, ([, index]) => index % 2),
    itemNumeric: Float32Array.from(items, ([, index]) => index / 10),
    labels: new Float32Array(items.length).fill(4),
    itemIds: items.map(([id]) => id),
  });

  it("takes an item's known id over one dropped to unknown, and the user's own features", () => {
    // In t1's rows 'b' was id-dropped (0); t2 has its id 7.
    const tasks: UserTask[] = [
      { userId: 't1', support: encoded(1, [['a', 3], ['b', 0]]), query: encoded(1, []) },
      { userId: 't2', support: encoded(2, [['b', 7]]), query: encoded(2, [['c', 5]]) },
      { userId: 'h', support: encoded(9, [['a', 3]]), query: encoded(9, [['c', 5]]) },
    ];
    const split = userTaskSplit(tasks.slice(0, 2), tasks.slice(2));
    const features = itemFeatureRows(split.userTasks, split.itemIds);
    const b = split.itemIds.indexOf('b');
    const c = split.itemIds.indexOf('c');
    const r = rowsForItems(tasks[2], features, Int32Array.of(c, b));
    expect({ users: Array.from(r.userIndices), items: Array.from(r.itemIndices), ids: r.itemIds }).toEqual({ users: [9, 9], items: [5, 7], ids: ['c', 'b'] });
    // 'b' came from t1's row first (its category and numeric features are the row's, 0 for index 0).
    expect(r.itemCategories[1]).toBe(0);
  });
});

describe('evaluateHeldOut list metrics', () => {
  beforeAll(async () => {
    await selectBackend({ preferred: 'cpu' });
  });

  const layout = syntheticLayout({ userFields: 1, itemFields: 1, cardinality: 10 });
  const tasks = createSyntheticTasks(layout, { tasks: 12, support: 4, query: 4, seed: 3 });
  const model = createMetaModel(layout, { embeddingDim: 2, hidden: [4], outputOffset: 3 });
  const params = initParams(model, 1);
  const run = (negativeSeed?: number) =>
    evaluateHeldOut({ model, params, train: tasks.slice(0, 8), heldOut: tasks.slice(8), adaptSteps: 1, adaptLr: 0.01, ratingScale: { min: 1, max: 5 }, negativeCount: 5, negativeSeed });

  it('reports the list metrics for the model and every baseline, popularity without rating metrics, the same for the same seed', async () => {
    const a = await run(4);
    const b = await run(4);
    expect(a).toStrictEqual(b);
    expect(a.list).toMatchObject({ cutoff: 10, positiveThreshold: 4, negativeCount: 5, seed: 4 });
    const pop = a.baselines.popularity;
    expect([pop?.mae, pop?.rmse]).toEqual([Number.NaN, Number.NaN]);
    const users = a.users - (a.list?.usersWithoutPositives ?? a.users);
    expect(users).toBeGreaterThan(0);
    for (const m of [a.model, a.baselines.globalMean, a.baselines.userMean, a.baselines.itemMean, pop]) {
      expect(m?.auc).toBeGreaterThanOrEqual(0);
      expect(m?.auc).toBeLessThanOrEqual(1);
      expect(m?.ndcg10).toBeGreaterThanOrEqual(0);
    }
    expect(Number.isFinite(a.model.mae)).toBe(true);
  });

  it('defaults to seed 0 and 100 negatives', async () => {
    const e = await evaluateHeldOut({ model, params, train: tasks.slice(0, 8), heldOut: tasks.slice(8), adaptSteps: 0, adaptLr: 0.01, ratingScale: { min: 1, max: 5 } });
    expect(e.list).toMatchObject({ negativeCount: 100, seed: 0 });
  });
});
