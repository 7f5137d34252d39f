import { createMetaModel, initParams, selectBackend } from '@metarec/meta-learning';
import { SeededRng } from '@metarec/runtime';
import type { EncodedRows, FeatureLayout, UserTask } from '@metarec/schemas';
import { beforeAll, describe, expect, it } from 'vitest';

import { evaluateHeldOut } from '../held-out/evaluate-held-out.js';
import { fitListHead } from './fit-list-head.js';

/** Two tastes: group A users choose among items a0..a19 (category 0), group B among b0..b19 (category 1); both equally popular. */
const layout: FeatureLayout = { userFields: [{ name: 'u', cardinality: 3 }], itemFields: [{ name: 'i', cardinality: 41 }], categoryCount: 2, numericCount: 0 };

function rows(group: 0 | 1, items: readonly number[], labels: readonly number[]): EncodedRows {
  return {
    count: items.length,
    userIndices: Int32Array.from(items, () => group + 1),
    itemIndices: Int32Array.from(items, (i) => 1 + i),
    itemCategories: Float32Array.from(items.flatMap((i) => (i < 20 ? [1, 0] : [0, 1]))),
    itemNumeric: new Float32Array(0),
    labels: Float32Array.from(labels),
    itemIds: items.map((i) => (i < 20 ? `a${i}` : `b${i - 20}`)),
  };
}

function users(count: number, seed: number, prefix: string): UserTask[] {
  const rng = new SeededRng(seed);
  return Array.from({ length: count }, (_, u) => {
    const group = (u % 2) as 0 | 1;
    const own = Array.from(rng.permutation(20), (i) => i + 20 * group);
    const other = (20 - 20 * group) + rng.int(20);
    return { userId: `${prefix}${u}`, support: rows(group, own.slice(0, 8), own.slice(0, 8).map(() => 5)), query: rows(group, [...own.slice(8, 11), other], [5, 5, 5, 1]) };
  });
}

describe('fitListHead', () => {
  beforeAll(async () => {
    await selectBackend({ preferred: 'cpu' });
  });
  const model = createMetaModel(layout, { embeddingDim: 2, hidden: [4], outputOffset: 3 });
  const params = initParams(model, 1);
  const train = users(80, 1, 't');
  const validation = users(40, 2, 'v');
  const ratingScale = { min: 1, max: 5 };
  const update = { steps: 1, lr: 0.01 };

  it('learns from validation users that a user’s own items predict their choices better than popularity does', async () => {
    const { head, evidence } = await fitListHead({ model, params, update, train, validation, ratingScale, seed: 3, negativeCount: 20, itemItemL2Multipliers: [1, 10] });
    expect([...head.itemIds].sort()).toEqual([...Array.from({ length: 20 }, (_, i) => `a${i}`), ...Array.from({ length: 20 }, (_, i) => `b${i}`)].sort());
    expect(head.itemItemSize).toBe(40);
    expect(evidence['validationNdcg10'] as number).toBeGreaterThan((evidence['validationNdcg10Popularity'] as number) + 0.2);
    // With one item or more, the item-item score carries weight; with none, it is constant (0) and weightless in effect.
    expect(head.warmWeights[1][0]).toBeGreaterThan(0);
    expect(String(evidence['itemItemL2Tried']).split(' ')).toHaveLength(2);
  });

  it('orders the held-out lists better than popularity and than the network alone, as the run evaluation reports', async () => {
    const { head } = await fitListHead({ model, params, update, train, validation, ratingScale, seed: 3, negativeCount: 20, itemItemL2Multipliers: [1, 10] });
    const heldOut = users(30, 4, 'h');
    const result = await evaluateHeldOut({ model, params, train, heldOut, ratingScale, adaptSteps: 1, adaptLr: 0.01, negativeCount: 20, listHead: head });
    const popularity = result.baselines.popularity?.ndcg10 ?? Number.NaN;
    expect(result.model.ndcg10).toBeGreaterThan(popularity + 0.2);
    expect(result.model.ndcg10).toBeGreaterThan((result.network?.ndcg10 ?? Number.NaN) + 0.2);
    // Ratings: the head's stack of the network with the bias model, never worse than the bias model by much on these users.
    expect(result.model.mae).toBeLessThan((result.baselines.bias?.mae ?? Number.NaN) + 0.05);
  });

  it('refuses validation users without a liked query item', async () => {
    const disliked = validation.map((t) => ({ ...t, query: { ...t.query, labels: t.query.labels.map(() => 1) } }));
    await expect(fitListHead({ model, params, update, train, validation: disliked, ratingScale, seed: 3 })).rejects.toMatchObject({ code: 'EVAL_DATA_INVALID' });
  });
});
