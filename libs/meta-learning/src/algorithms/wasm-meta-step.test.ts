import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { initParams } from '../model/init-params.js';
import { createMetaModel } from '../model/meta-model.js';
import { selectBackend } from '../backend/select-backend.js';
import { worstDirectionalError } from '../testing/finite-difference.js';
import { metaStepTensorLeaks } from '../testing/meta-step-leaks.js';
import { createSyntheticTasks, syntheticLayout } from '../testing/synthetic-tasks.js';
import type { MetaStepOptions } from './meta-step.js';

// The production backend: wasm through selectBackend (its UnsortedSegmentSum kernel and MatMul
// gradient installed). Same FD bound as the CPU tests (see meta-step.test.ts for its derivation).
beforeAll(async () => {
  await selectBackend({ preferred: 'wasm' });
});

const EPS = 1e-2;
const layout = syntheticLayout({ userFields: 2, itemFields: 2, cardinality: 5, categoryCount: 3, numericCount: 2 });
const tasks = createSyntheticTasks(layout, { tasks: 2, support: 5, query: 4, seed: 1, labels: 'planted' });

function worstRelError(adapt: 'decision-layers' | 'all', o: Partial<MetaStepOptions>): number {
  const model = createMetaModel(layout, { embeddingDim: 4, hidden: [6, 5], activation: 'softplus', outputOffset: 3, initSeed: 3, adapt });
  return worstDirectionalError(model, initParams(model), tasks, o, { eps: EPS });
}

describe('metaStep on the wasm backend', () => {
  it('runs on wasm', () => {
    expect(tf.getBackend()).toBe('wasm');
  });

  it('second-order MAML matches central FD for every tensor (decision layers and whole model), rel err < 1e-2', () => {
    expect(worstRelError('decision-layers', { algorithm: 'maml', innerSteps: 3, innerLr: 0.3 })).toBeLessThan(1e-2);
    expect(worstRelError('all', { algorithm: 'maml', innerSteps: 2, innerLr: 0.3 })).toBeLessThan(1e-2);
  });

  it('leaks no tensors over repeated meta-steps of every algorithm', () => {
    const model = createMetaModel(layout, { embeddingDim: 4, hidden: [6, 5] });
    expect(metaStepTensorLeaks(model, initParams(model), tasks)).toEqual({ maml: 0, fomaml: 0, reptile: 0 });
  });
});
