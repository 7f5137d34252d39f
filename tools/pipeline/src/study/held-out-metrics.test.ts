import { createMetaModel, initParams, selectBackend } from '@metarec/meta-learning';
import type { EncodedRows, UserTask } from '@metarec/schemas';
import { beforeAll, describe, expect, it } from 'vitest';

import { BIAS_DAMPING, baselineMae, modelMae, pairedDifference } from './held-out-metrics.js';
import { studyTasks } from './study-tasks.js';

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

describe('baselineMae', () => {
  // Training ratings: a = 5, 5; b = 1, 1 → global mean 3.
  const train = [task('t1', [['a', 5]], [['b', 1]]), task('t2', [['b', 1]], [['a', 5]])];

  it('scores every baseline on the same held-out query ratings, falling back to the global mean for unknown items', () => {
    const heldOut = [task('h', [['a', 4]], [['a', 4], ['c', 3]])];
    const b = baselineMae(train, heldOut);
    expect(b.globalMean).toBeCloseTo((1 + 0) / 2);
    expect(b.userMean).toBeCloseTo((0 + 1) / 2);
    // item a's training mean 5 (error 1); c unknown → 3 (error 0)
    expect(b.itemMean).toBeCloseTo(0.5);
  });

  it('damps the item and user offsets of the bias baseline', () => {
    const heldOut = [task('h', [['a', 5]], [['b', 2]])];
    const itemA = (2 * 2) / (2 + BIAS_DAMPING);
    const itemB = (2 * -2) / (2 + BIAS_DAMPING);
    const user = (5 - 3 - itemA) / (1 + BIAS_DAMPING);
    expect(baselineMae(train, heldOut).bias).toBeCloseTo(Math.abs(3 + itemB + user - 2), 5);
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

describe('modelMae', () => {
  beforeAll(async () => {
    await selectBackend({ preferred: 'cpu' });
  });

  it('improves on the unadapted prior when the query set is the support set', () => {
    const world = studyTasks({ users: 40, items: 30, interactionsPerUser: { min: 14, max: 20 } });
    const model = createMetaModel(world.featureLayout, { embeddingDim: 4, hidden: [8], outputOffset: 3.5 });
    const params = initParams(model);
    const memorize = world.train.slice(0, 10).map((t) => ({ ...t, query: t.support }));
    const prior = modelMae(model, params, memorize, 0, 0.05);
    expect(modelMae(model, params, memorize, 20, 0.05)).toBeLessThan(prior);
  });
});
