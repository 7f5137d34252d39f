import { createMetaModel, initParams, selectBackend } from '@metarec/meta-learning';
import { createSyntheticTasks, syntheticLayout } from '@metarec/meta-learning/testing';
import { beforeAll, describe, expect, it } from 'vitest';

import { calibrateShrinkage } from './calibrate-shrinkage.js';

beforeAll(async () => {
  await selectBackend({ preferred: 'cpu' });
});

const layout = syntheticLayout({ userFields: 2, itemFields: 2, cardinality: 12, categoryCount: 3, numericCount: 2 });
const users = createSyntheticTasks(layout, { tasks: 24, support: 12, query: 8, seed: 3, labels: 'planted' });

describe('calibrateShrinkage', () => {
  it('picks the κ with the lowest mean validation MAE over support sizes; with an overshooting step size that is κ > 0, better at one rating', () => {
    const model = createMetaModel(layout, { embeddingDim: 4, hidden: [8], outputOffset: 3 });
    const params = initParams(model);
    // 10 steps at 0.5 on one rating fit it exactly: the unshrunk update overshoots.
    const result = calibrateShrinkage(model, params, users, { steps: 10, lr: 0.5, grid: [20, 5, 1] });
    expect(result.candidates.map((c) => c.shrinkage)).toEqual([0, 1, 5, 20]);
    expect(result.users).toBe(24);
    for (const c of result.candidates) {
      expect(c.maeBySupport).toHaveLength(result.supportSizes.length);
      expect(c.mean).toBeCloseTo(c.maeBySupport.reduce((a, b) => a + b, 0) / c.maeBySupport.length, 10);
    }
    const means = result.candidates.map((c) => c.mean);
    const chosen = result.candidates.find((c) => c.shrinkage === result.shrinkage);
    expect(chosen?.mean).toBe(Math.min(...means));
    expect(result.shrinkage).toBeGreaterThan(0);
    expect(chosen?.maeBySupport[0]).toBeLessThan(result.candidates[0].maeBySupport[0]);
    // Deterministic: the same inputs give the same choice and figures.
    expect(calibrateShrinkage(model, params, users, { steps: 10, lr: 0.5, grid: [20, 5, 1] })).toEqual(result);
  });

  it('refuses a negative or non-finite κ and an empty user set, naming the field', () => {
    const model = createMetaModel(layout, { embeddingDim: 4, hidden: [8] });
    const params = initParams(model);
    expect(() => calibrateShrinkage(model, params, users, { steps: 1, lr: 0.1, grid: [-1] })).toThrow(/shrinkageGrid/);
    expect(() => calibrateShrinkage(model, params, users, { steps: 1, lr: 0.1, grid: [Number.POSITIVE_INFINITY] })).toThrow(/shrinkageGrid/);
    expect(() => calibrateShrinkage(model, params, [], { steps: 1, lr: 0.1, grid: [1] })).toThrow(/validation users/);
  });
});
