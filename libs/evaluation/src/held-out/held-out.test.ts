import { createMetaModel, initParams, selectBackend } from '@metarec/meta-learning';
import { createSyntheticTasks, syntheticLayout } from '@metarec/meta-learning/testing';
import type { EncodedRows, UserTask } from '@metarec/schemas';
import { beforeAll, describe, expect, it } from 'vitest';

import { DampedBiasRecommender, DEFAULT_DAMPED_BIAS_OPTIONS } from '../baselines/damped-bias.js';
import { EvalConfigError } from '../errors.js';
import { pairedDifference } from '../metrics/paired-difference.js';
import { AdaptedModelRecommender } from './adapted-model-recommender.js';
import { evaluateOnSplit, HELD_OUT_BASELINES } from './evaluate-held-out.js';
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
    const mae = async (name: keyof typeof HELD_OUT_BASELINES): Promise<number> => (await evaluateOnSplit(HELD_OUT_BASELINES[name](), split)).mae;
    expect(await mae('globalMean')).toBeCloseTo((1 + 0) / 2, 6);
    expect(await mae('userMean')).toBeCloseTo((0 + 1) / 2, 6);
    // item a: (5 + 5 + 5·3) / (2 + 5) = 25/7 (damped towards 3, error 3/7); c unseen → 3 (error 0)
    expect(await mae('itemMean')).toBeCloseTo(3 / 7 / 2, 6);
  });

  it('falls back to the training mean for a user without support ratings', async () => {
    const split = userTaskSplit(train, [task('h', [], [['a', 4]])]);
    expect((await evaluateOnSplit(HELD_OUT_BASELINES.userMean(), split)).mae).toBeCloseTo(1, 6);
  });

  it('damps the item and user offsets of the bias baseline', async () => {
    const split = userTaskSplit(train, [task('h', [['a', 5]], [['b', 2]])]);
    const lambda = DEFAULT_DAMPED_BIAS_OPTIONS.damping;
    const itemA = (2 * 2) / (2 + lambda);
    const itemB = (2 * -2) / (2 + lambda);
    const user = (5 - 3 - itemA) / (1 + lambda);
    expect((await evaluateOnSplit(new DampedBiasRecommender(), split)).mae).toBeCloseTo(Math.abs(3 + itemB + user - 2), 5);
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
      const rec = new AdaptedModelRecommender({ model, params, userTasks: split.userTasks, update: { steps, lr: 0.05 } });
      try {
        return (await evaluateOnSplit(rec, split)).mae;
      } finally {
        rec.dispose();
      }
    };
    expect(await mae(20)).toBeLessThan(await mae(0));
  });

  it("refuses items that are not the user's query items", () => {
    const model = createMetaModel(layout, { embeddingDim: 4, hidden: [8] });
    const split = userTaskSplit([], tasks.slice(0, 2));
    const rec = new AdaptedModelRecommender({ model, params: initParams(model), userTasks: split.userTasks, update: { steps: 1, lr: 0.05 } });
    try {
      expect(() => rec.predict(0, { items: new Int32Array(0), ratings: new Float32Array(0) }, new Int32Array(1))).toThrow(EvalConfigError);
    } finally {
      rec.dispose();
    }
  });
});
