import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { initParams } from '../model/init-params.js';
import { createMetaModel } from '../model/meta-model.js';
import { createSyntheticTasks, syntheticLayout } from '../testing/synthetic-tasks.js';
import { adapt, fineTune, shrinkageStepScale } from './adapt.js';
import { predictRows, score } from './score.js';
import { loadParams } from './serving-params.js';

const layout = syntheticLayout({ userFields: 3, itemFields: 2, cardinality: 20, categoryCount: 4, numericCount: 2 });
const [task] = createSyntheticTasks(layout, { tasks: 1, support: 20, query: 50, seed: 5, labels: 'planted' });
const userFields = task.query.userIndices.slice(0, 3);

describe('adapt + score (serving path)', () => {
  it('score (split first layer, user embedded once) equals the full forward of the same rows', () => {
    for (const task2 of ['regression', 'binary'] as const) {
      const model = createMetaModel(layout, { embeddingDim: 8, hidden: [16, 8], task: task2, outputOffset: 3 });
      const base = loadParams(model, initParams(model));
      const user = adapt(base, task.support, { steps: 3, lr: 0.05 });
      const a = score(user, userFields, task.query);
      const b = predictRows(user, task.query);
      expect(a.length).toBe(50);
      for (let i = 0; i < a.length; i++) {
        expect(a[i]).toBeCloseTo(b[i], 4);
      }
      user.dispose();
      base.dispose();
    }
  });

  it('adapts only the decision layers (MeLU) and lowers the support loss; 0 steps is the base model', () => {
    const model = createMetaModel(layout, { embeddingDim: 8, hidden: [16, 8], outputOffset: 3 });
    const base = loadParams(model, initParams(model));
    expect(Object.keys(adapt(base, task.support, { steps: 0 }).overrides)).toEqual([]);
    const user = adapt(base, task.support, { steps: 10, lr: 0.05 });
    expect(Object.keys(user.overrides).sort()).toEqual([...model.decisionNames].sort());
    const mse = (pred: Float32Array): number => pred.reduce((s, p, i) => s + (p - task.support.labels[i]) ** 2, 0) / pred.length;
    const before = mse(predictRows(adapt(base, task.support, { steps: 0 }), task.support));
    const after = mse(predictRows(user, task.support));
    expect(after).toBeLessThan(before * 0.9);
    const ft = fineTune(base, task.support, { steps: 10, lr: 0.05 });
    expect(mse(predictRows(ft, task.support))).toBeCloseTo(after, 5);
    ft.dispose();
    user.dispose();
    base.dispose();
  });

  it('shrinkage κ scales every step by n/(n+κ): the same as the step size × n/(n+κ), whole-model adaptation too', () => {
    expect(shrinkageStepScale(20, 0)).toBe(1);
    expect(shrinkageStepScale(1, 9)).toBeCloseTo(0.1, 12);
    for (const adaptWhat of ['decision-layers', 'all'] as const) {
      const model = createMetaModel(layout, { embeddingDim: 8, hidden: [16, 8], outputOffset: 3, adapt: adaptWhat });
      const base = loadParams(model, initParams(model));
      const shrunk = adapt(base, task.support, { steps: 4, lr: 0.05, shrinkage: 5 });
      const slower = adapt(base, task.support, { steps: 4, lr: (0.05 * 20) / 25 });
      const plain = adapt(base, task.support, { steps: 4, lr: 0.05 });
      const [a, b, c] = [shrunk, slower, plain].map((u) => predictRows(u, task.query));
      let differs = 0;
      for (let i = 0; i < a.length; i++) {
        expect(a[i]).toBeCloseTo(b[i], 5);
        differs = Math.max(differs, Math.abs(a[i] - c[i]));
      }
      expect(differs).toBeGreaterThan(1e-3);
      [shrunk, slower, plain, base].forEach((u) => u.dispose());
    }
    const model = createMetaModel(layout, { embeddingDim: 8, hidden: [16, 8] });
    const base = loadParams(model, initParams(model));
    for (const shrinkage of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => adapt(base, task.support, { shrinkage })).toThrow(/shrinkage/);
    }
    base.dispose();
  });

  it('leaks no tensors over 300 adapt + score calls', () => {
    const model = createMetaModel(layout, { embeddingDim: 8, hidden: [16, 8] });
    const base = loadParams(model, initParams(model));
    const warm = adapt(base, task.support, { steps: 5 });
    score(warm, userFields, task.query);
    warm.dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 300; i++) {
      const u = adapt(base, task.support, { steps: 5 });
      score(u, userFields, task.query);
      u.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    base.dispose();
  });

  it('rejects out-of-vocabulary indices with ML_ROWS_INVALID', () => {
    const model = createMetaModel(layout, { embeddingDim: 8, hidden: [16, 8] });
    const base = loadParams(model, initParams(model));
    const u = adapt(base, task.support, { steps: 1 });
    expect(() => score(u, Int32Array.from([0, 0, 99]), task.query)).toThrow(/outside \[0, 20\)/);
    u.dispose();
    base.dispose();
  });
});
