import { createMetaModel, initParams, selectBackend } from '@metarec/meta-learning';
import { createSyntheticTasks, syntheticLayout } from '@metarec/meta-learning/testing';
import type { EncodedRows, UserTask } from '@metarec/schemas';
import { beforeAll, describe, expect, it } from 'vitest';

import { DampedBiasRecommender, DEFAULT_DAMPED_BIAS_OPTIONS } from '../baselines/damped-bias.js';
import { EvalConfigError } from '../errors.js';
import { pairedDifference } from '../metrics/paired-difference.js';
import type { Recommender } from '../recommender/recommender.js';
import { AdaptedModelRecommender } from './adapted-model-recommender.js';
import { evaluateHeldOut, evaluateOnSplit, HELD_OUT_BASELINES } from './evaluate-held-out.js';
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

// Training ratings: a = 5, 5; b = 1, 1 → global mean 3.
const train = [task('t1', [['a', 5]], [['b', 1]]), task('t2', [['b', 1]], [['a', 5]])];
const STARS = { ratingScale: { min: 1, max: 5 } } as const;

describe('userTaskSplit', () => {
  it('puts every training rating (support, then query) in the training set and indexes items by first appearance', () => {
    const split = userTaskSplit(train, [task('h', [['c', 4]], [['a', 4]])]);
    expect(Array.from(split.training.ratings)).toEqual([5, 1, 1, 5]);
    expect(Array.from(split.training.items)).toEqual([0, 1, 1, 0]);
    expect(split.itemIds).toEqual(['a', 'b', 'c']);
    expect(split.training.itemCount).toBe(3);
    const [h] = split.tasks;
    expect({ user: h.user, support: Array.from(h.supportItems), query: Array.from(h.queryItems), negatives: h.negatives.length }).toEqual({ user: 2, support: [2], query: [0], negatives: 0 });
    expect(split.userTasks[h.user].userId).toBe('h');
  });
});

describe('held-out baselines', () => {
  it('scores the global, user and damped item mean on the same query ratings', async () => {
    const split = userTaskSplit(train, [task('h', [['a', 4]], [['a', 4], ['c', 3]])]);
    const mae = async (name: keyof typeof HELD_OUT_BASELINES): Promise<number> => (await evaluateOnSplit(HELD_OUT_BASELINES[name](), split, STARS)).mae;
    expect(await mae('globalMean')).toBeCloseTo((1 + 0) / 2, 6);
    expect(await mae('userMean')).toBeCloseTo((0 + 1) / 2, 6);
    // item a: (5 + 5 + 5·3) / (2 + 5) = 25/7 (damped towards 3, error 3/7); c unseen → 3 (error 0)
    expect(await mae('itemMean')).toBeCloseTo(3 / 7 / 2, 6);
  });

  it('falls back to the training mean for a user without support ratings', async () => {
    const split = userTaskSplit(train, [task('h', [], [['a', 4]])]);
    expect((await evaluateOnSplit(HELD_OUT_BASELINES.userMean(), split, STARS)).mae).toBeCloseTo(1, 6);
  });

  it('damps the item and user offsets of the bias baseline', async () => {
    const split = userTaskSplit(train, [task('h', [['a', 5]], [['b', 2]])]);
    const lambda = DEFAULT_DAMPED_BIAS_OPTIONS.damping;
    const itemA = (2 * 2) / (2 + lambda);
    const itemB = (2 * -2) / (2 + lambda);
    const user = (5 - 3 - itemA) / (1 + lambda);
    expect((await evaluateOnSplit(new DampedBiasRecommender(), split, STARS)).mae).toBeCloseTo(Math.abs(3 + itemB + user - 2), 5);
  });
});

/** Predicts `value` for every item (a rating predictor unless told otherwise). */
function constant(value: number, predictsRatings = true): Recommender {
  return { name: 'constant', predictsRatings, fit: () => ({}), predict: (_user, _support, items) => new Float32Array(items.length).fill(value) };
}

describe('held-out metrics on the rating scale', () => {
  const split = userTaskSplit(train, [task('h', [['a', 4]], [['a', 5], ['b', 4]])]);

  it('clips rating predictions to the scale before MAE/RMSE and divides both by its range', async () => {
    // 7 on 1–5 is scored as 5: errors 0 and 1.
    const stars = await evaluateOnSplit(constant(7), split, { ratingScale: { min: 1, max: 5 } });
    expect(stars).toMatchObject({ mae: 0.5, rmse: Math.sqrt(0.5), nmae: 0.5 / 4, nrmse: Math.sqrt(0.5) / 4 });
    // 7 is inside 0–10: errors 2 and 3.
    const tenPoint = await evaluateOnSplit(constant(7), split, { ratingScale: { min: 0, max: 10 } });
    expect(tenPoint).toMatchObject({ mae: 2.5, nmae: 0.25 });
    expect(tenPoint.rmse).toBeCloseTo(Math.sqrt(6.5), 6);
    expect(tenPoint.nrmse).toBeCloseTo(Math.sqrt(6.5) / 10, 6);
    // Below the scale: -3 is scored as 1 (errors 4 and 3).
    expect((await evaluateOnSplit(constant(-3), split, STARS)).mae).toBe(3.5);
  });

  it('reports no rating error for a ranking-only method (its scores are not ratings)', async () => {
    const m = await evaluateOnSplit(constant(7, false), split, STARS);
    expect([m.mae, m.rmse, m.nmae, m.nrmse]).toEqual([Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
  });

  it('gives NaN for every error without query ratings', async () => {
    const empty = userTaskSplit(train, [task('h', [['a', 4]], [])]);
    const m = await evaluateOnSplit(constant(3), empty, STARS);
    expect([m.mae, m.rmse, m.nmae, m.nrmse]).toEqual([Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
  });
});

describe('evaluateHeldOut on the rating scale', () => {
  beforeAll(async () => {
    await selectBackend({ preferred: 'cpu' });
  });

  // Every rating a method could predict here is at least 5 (training and support ratings are 5, the
  // model's output offset 100), the query ratings are 3 and 2: on a 1–3 scale every method predicts 3.
  const layout = syntheticLayout({ userFields: 1, itemFields: 1, cardinality: 10 });
  const labelled = (t: UserTask, support: number[], query: number[]): UserTask => ({
    ...t,
    support: { ...t.support, labels: Float32Array.from(support) },
    query: { ...t.query, labels: Float32Array.from(query) },
  });
  const tasks = createSyntheticTasks(layout, { tasks: 6, support: 2, query: 2, seed: 1 });
  const trainTasks = tasks.slice(0, 4).map((t) => labelled(t, [5, 5], [5, 5]));
  const heldOut = tasks.slice(4).map((t) => labelled(t, [5, 5], [3, 2]));
  const model = createMetaModel(layout, { embeddingDim: 2, hidden: [4], outputOffset: 100 });
  const params = initParams(model, 1);
  const run = (ratingScale: { min: number; max: number }) => evaluateHeldOut({ model, params, train: trainTasks, heldOut, adaptSteps: 0, adaptLr: 0.01, ratingScale });

  it('clips the model and all three baselines alike and records the scale', async () => {
    const e = await run({ min: 1, max: 3 });
    expect(e.ratingScale).toEqual({ min: 1, max: 3 });
    // Errors 0 and 1 for every user and method.
    const clipped = { mae: 0.5, rmse: Math.sqrt(0.5), nmae: 0.25, nrmse: Math.sqrt(0.5) / 2 };
    for (const m of [e.model, e.baselines.globalMean, e.baselines.userMean, e.baselines.itemMean]) {
      expect(m).toMatchObject({ mae: clipped.mae, nmae: clipped.nmae });
      expect(m.rmse).toBeCloseTo(clipped.rmse, 6);
      expect(m.nrmse).toBeCloseTo(clipped.nrmse, 6);
    }
  });

  it('leaves predictions inside a wider scale as they are', async () => {
    const e = await run({ min: 0, max: 200 });
    // The baselines predict 5 (errors 2 and 3); the model about 100.
    for (const m of [e.baselines.globalMean, e.baselines.userMean, e.baselines.itemMean]) {
      expect(m).toMatchObject({ mae: 2.5, nmae: 2.5 / 200 });
    }
    expect(e.model.mae).toBeGreaterThan(50);
    expect(e.model.nmae).toBeCloseTo(e.model.mae / 200, 12);
  });
});

describe('pairedDifference', () => {
  it('averages per-user differences and gives their standard error across users', () => {
    // users' mean differences: -1, 0, +0.5 (the first user's two ratings count once, as one user)
    const d = pairedDifference([[1, 1], [2], [3]], [[2, 2], [2], [2.5]]);
    expect(d.mean).toBeCloseTo(-0.5 / 3);
    const m = -0.5 / 3;
    expect(d.se).toBeCloseTo(Math.sqrt(((-1 - m) ** 2 + m ** 2 + (0.5 - m) ** 2) / 2 / 3));
  });
});

describe('AdaptedModelRecommender', () => {
  beforeAll(async () => {
    await selectBackend({ preferred: 'cpu' });
  });

  const layout = syntheticLayout({ userFields: 2, itemFields: 2, cardinality: 20 });
  const tasks = createSyntheticTasks(layout, { tasks: 20, support: 8, query: 4, seed: 4 });

  it('improves on the unadapted prior when the query set is the support set', async () => {
    const model = createMetaModel(layout, { embeddingDim: 4, hidden: [8], outputOffset: 3.5 });
    const params = initParams(model);
    const memorize = tasks.slice(0, 10).map((t) => ({ ...t, query: t.support }));
    const split = userTaskSplit(tasks.slice(10), memorize);
    const mae = async (steps: number): Promise<number> => {
      const rec = new AdaptedModelRecommender({ model, params, userTasks: split.userTasks, itemIds: split.itemIds, update: { steps, lr: 0.05 } });
      try {
        return (await evaluateOnSplit(rec, split, STARS)).mae;
      } finally {
        rec.dispose();
      }
    };
    expect(await mae(20)).toBeLessThan(await mae(0));
  });

  it('refuses items that are not items of the tasks', () => {
    const model = createMetaModel(layout, { embeddingDim: 4, hidden: [8] });
    const split = userTaskSplit([], tasks.slice(0, 2));
    const rec = new AdaptedModelRecommender({ model, params: initParams(model), userTasks: split.userTasks, itemIds: split.itemIds, update: { steps: 1, lr: 0.05 } });
    try {
      expect(() => rec.predict(0, { items: new Int32Array(0), ratings: new Float32Array(0) }, Int32Array.of(split.itemIds.length))).toThrow(EvalConfigError);
    } finally {
      rec.dispose();
    }
  });

  it('scores items the user did not rate without changing its query predictions', () => {
    const model = createMetaModel(layout, { embeddingDim: 4, hidden: [8], outputOffset: 3.5 });
    const split = userTaskSplit(tasks.slice(2), tasks.slice(0, 2));
    const rec = new AdaptedModelRecommender({ model, params: initParams(model, 2), userTasks: split.userTasks, itemIds: split.itemIds, update: { steps: 2, lr: 0.05 } });
    try {
      const [t] = split.tasks;
      const support = { items: t.supportItems, ratings: t.supportRatings };
      const own = new Set(Array.from(t.supportItems).concat(Array.from(t.queryItems)));
      const others = Int32Array.from(split.itemIds.keys()).filter((i) => !own.has(i)).slice(0, 5);
      const queryOnly = rec.predict(t.user, support, t.queryItems);
      const withOthers = rec.predict(t.user, support, Int32Array.from([...t.queryItems, ...others]));
      expect(others.length).toBe(5);
      expect(Array.from(withOthers.subarray(0, t.queryItems.length))).toEqual(Array.from(queryOnly).map((v) => expect.closeTo(v, 5)));
      expect(withOthers.subarray(t.queryItems.length).every(Number.isFinite)).toBe(true);
    } finally {
      rec.dispose();
    }
  });
});
