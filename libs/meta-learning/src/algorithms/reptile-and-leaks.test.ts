import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { initParams } from '../model/init-params.js';
import { createMetaModel } from '../model/meta-model.js';
import { createSyntheticTasks, syntheticLayout } from '../testing/synthetic-tasks.js';
import { concatRows } from '../training-loop/encoded-rows-ops.js';
import { globalStep } from '../training-loop/train-global.js';
import { metaStep, type MetaAlgorithm } from './meta-step.js';

const layout = syntheticLayout({ userFields: 2, itemFields: 2, cardinality: 6, categoryCount: 3, numericCount: 1 });
const tasks = createSyntheticTasks(layout, { tasks: 3, support: 6, query: 4, seed: 2, labels: 'planted' });
const model = createMetaModel(layout, { embeddingDim: 4, hidden: [5, 4], outputOffset: 3 });
const params = initParams(model);

describe('Reptile', () => {
  it('gradient is θ − θ\' of plain SGD on support ∪ query, computed by hand from globalStep (2 steps)', () => {
    const lr = 0.05;
    const task = tasks[0];
    const all = concatRows([task.support, task.query]);
    let theta = params.slice();
    for (let k = 0; k < 2; k++) {
      const g = globalStep(model, theta, all).gradient;
      theta = theta.map((v, i) => v - lr * g[i]);
    }
    const expected = params.map((v, i) => v - theta[i]);
    const got = metaStep(model, params, [task], { algorithm: 'reptile', innerSteps: 2, innerLr: lr }).gradient;
    let maxAbs = 0;
    let maxDiff = 0;
    for (let i = 0; i < got.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
      maxDiff = Math.max(maxDiff, Math.abs(got[i] - expected[i]));
    }
    expect(maxAbs).toBeGreaterThan(1e-3);
    expect(maxDiff).toBeLessThan(1e-6 + 1e-4 * maxAbs);
  });
});

describe('metaStep purity', () => {
  it.each<MetaAlgorithm>(['maml', 'fomaml', 'reptile'])('%s leaks no tensors over 30 meta-steps and is deterministic', (algorithm) => {
    const first = metaStep(model, params, tasks, { algorithm, innerSteps: 3 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 30; i++) {
      metaStep(model, params, tasks, { algorithm, innerSteps: 3 });
    }
    expect(tf.memory().numTensors).toBe(before);
    const again = metaStep(model, params, tasks, { algorithm, innerSteps: 3 });
    expect(Buffer.from(again.gradient.buffer).equals(Buffer.from(first.gradient.buffer))).toBe(true);
    expect(again.taskCount).toBe(3);
    expect(again.perTaskLoss.length).toBe(3);
    expect(again.loss).toBeCloseTo((again.perTaskLoss[0] + again.perTaskLoss[1] + again.perTaskLoss[2]) / 3, 5);
  });

  it('rejects an empty meta-batch, a params array of the wrong size and a task without query rows (releasing what it uploaded)', () => {
    expect(() => metaStep(model, params, [])).toThrow(expect.objectContaining({ code: 'ML_TASKS_EMPTY' }));
    expect(() => metaStep(model, params.subarray(1), tasks)).toThrow(expect.objectContaining({ code: 'ML_SIZE_MISMATCH' }));
    const empty = { ...tasks[0], query: { ...tasks[0].query, count: 0, userIndices: new Int32Array(0), itemIndices: new Int32Array(0), itemCategories: new Float32Array(0), itemNumeric: new Float32Array(0), labels: new Float32Array(0), itemIds: [] } };
    const before = tf.memory().numTensors;
    expect(() => metaStep(model, params, [tasks[1], empty])).toThrow(expect.objectContaining({ code: 'ML_ROWS_INVALID' }));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('binary task: BCE meta-gradient is finite and leaves no tensors', () => {
    const bin = createMetaModel(layout, { embeddingDim: 4, hidden: [5, 4], task: 'binary' });
    const binTasks = createSyntheticTasks(layout, { tasks: 2, support: 6, query: 4, seed: 3, labels: 'planted-binary' });
    const before = tf.memory().numTensors;
    const r = metaStep(bin, initParams(bin), binTasks, { innerSteps: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.loss).toBeGreaterThan(0);
    expect(r.gradient.every(Number.isFinite)).toBe(true);
  });
});
