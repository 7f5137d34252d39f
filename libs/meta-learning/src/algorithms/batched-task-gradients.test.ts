import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { initParams } from '../model/init-params.js';
import { createMetaModel } from '../model/meta-model.js';
import type { ModelConfig } from '../model/model-config.js';
import { suiteBackendName } from '../testing/suite-backend.js';
import { createSyntheticTasks, syntheticLayout } from '../testing/synthetic-tasks.js';
import { metaStep, type MetaStepOptions } from './meta-step.js';

// The stacked path (tasks of equal sizes in one computation, first layer in closed form) must give
// the task-by-task result, which the FD tests pin down: same meta-gradient and per-task losses up to
// float32 summation order. Tasks of five sizes: groups padded to their largest task (supports 5, 5,
// 5, 7 and queries 4, 4, 4, 3 share one group), groups without padding, and tasks alone, so the
// zero-weight padding rows, grouping and input-order losses are all exercised.
// Bound: max |Δg| ≤ 1e-4 · max(1, max |g|) and |Δloss| ≤ 1e-5 · max(1, loss); float32 rounding of
// these sums (≤ 50 terms of size ≤ 10) is ~1e-6 relative, while a wrong term (a missing l2 decay,
// a dropped second-order product) changes entries by ≥ 1e-2 (checked by hand while writing this).

const layout = syntheticLayout({ userFields: 2, itemFields: 2, cardinality: 5, categoryCount: 3, numericCount: 2 });
const tasks = [
  ...createSyntheticTasks(layout, { tasks: 3, support: 5, query: 4, seed: 1, labels: 'planted' }),
  ...createSyntheticTasks(layout, { tasks: 2, support: 3, query: 6, seed: 2, labels: 'planted' }),
  ...createSyntheticTasks(layout, { tasks: 1, support: 7, query: 3, seed: 4, labels: 'planted' }),
  ...createSyntheticTasks(layout, { tasks: 1, support: 8, query: 5, seed: 5, labels: 'planted' }),
  ...createSyntheticTasks(layout, { tasks: 1, support: 4, query: 2, seed: 6, labels: 'planted' }),
];
const binaryTasks = [
  ...createSyntheticTasks(layout, { tasks: 3, support: 6, query: 5, seed: 3, labels: 'planted-binary' }),
  ...createSyntheticTasks(layout, { tasks: 1, support: 8, query: 7, seed: 7, labels: 'planted-binary' }),
];

interface Case {
  readonly name: string;
  readonly config: Partial<ModelConfig>;
  readonly options: Partial<MetaStepOptions>;
  readonly binary?: boolean;
}

const base: Partial<ModelConfig> = { embeddingDim: 4, hidden: [6, 5], activation: 'softplus', outputOffset: 3, initSeed: 3 };
const cases: Case[] = [
  { name: 'maml softplus', config: base, options: { algorithm: 'maml', innerSteps: 3, innerLr: 0.3 } },
  { name: 'maml relu, l2 (decay c ≠ 1)', config: { ...base, activation: 'relu' }, options: { algorithm: 'maml', innerSteps: 3, innerLr: 0.2, innerL2: 0.4 } },
  { name: 'maml one hidden layer, 1 step', config: { ...base, hidden: [7] }, options: { algorithm: 'maml', innerSteps: 1, innerLr: 0.3 } },
  { name: 'maml Meta-SGD (explicit stacked loop)', config: { ...base, metaSgd: true, metaSgdInitLr: 0.2 }, options: { algorithm: 'maml', innerSteps: 2 } },
  { name: 'maml 0 inner steps', config: base, options: { algorithm: 'maml', innerSteps: 0 } },
  { name: 'fomaml softplus, l2', config: base, options: { algorithm: 'fomaml', innerSteps: 3, innerLr: 0.3, innerL2: 0.3 } },
  { name: 'fomaml relu', config: { ...base, activation: 'relu' }, options: { algorithm: 'fomaml', innerSteps: 4, innerLr: 0.2 } },
  { name: 'maml binary', config: { ...base, task: 'binary', outputOffset: 0 }, options: { algorithm: 'maml', innerSteps: 2, innerLr: 0.5 }, binary: true },
  { name: 'fomaml binary relu', config: { ...base, task: 'binary', outputOffset: 0, activation: 'relu' }, options: { algorithm: 'fomaml', innerSteps: 2, innerLr: 0.5 }, binary: true },
];

function compare(c: Case): { grad: number; loss: number } {
  const model = createMetaModel(layout, c.config);
  const params = initParams(model);
  const ts = c.binary === true ? binaryTasks : tasks;
  const stacked = metaStep(model, params, ts, { ...c.options, batchTasks: true });
  const looped = metaStep(model, params, ts, { ...c.options, batchTasks: false });
  let scale = 1;
  let grad = 0;
  looped.gradient.forEach((g, i) => {
    scale = Math.max(scale, Math.abs(g));
    grad = Math.max(grad, Math.abs(g - stacked.gradient[i]));
  });
  let loss = 0;
  looped.perTaskLoss.forEach((l, i) => {
    loss = Math.max(loss, Math.abs(l - stacked.perTaskLoss[i]) / Math.max(1, Math.abs(l)));
  });
  expect(stacked.taskCount).toBe(looped.taskCount);
  return { grad: grad / scale, loss };
}

// On the run's backend (METAREC_TEST_BACKEND: cpu, wasm or tensorflow).
const backend = suiteBackendName();

describe(`stacked meta-step equals the task loop on ${backend}`, () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(tf.getBackend()).toBe(backend);
      const d = compare(c);
      expect(d.grad).toBeLessThan(1e-4);
      expect(d.loss).toBeLessThan(1e-5);
    });
  }
});

describe('stacked meta-step hygiene', () => {
  it(`leaks no tensors (${backend})`, () => {
    const model = createMetaModel(layout, base);
    const params = initParams(model);
    for (const algorithm of ['maml', 'fomaml'] as const) {
      metaStep(model, params, tasks, { algorithm });
      const before = tf.memory().numTensors;
      metaStep(model, params, tasks, { algorithm, innerL2: 0.1 });
      expect(tf.memory().numTensors, algorithm).toBe(before);
    }
  });
});
