import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { initParams } from '../model/init-params.js';
import { createMetaModel } from '../model/meta-model.js';
import { SeededRng } from '@metarec/runtime';
import { selectBackend } from '../backend/select-backend.js';
import { createSyntheticTasks, syntheticLayout } from '../testing/synthetic-tasks.js';
import { metaStep, type MetaStepOptions } from './meta-step.js';

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
  const params = initParams(model);
  const { gradient } = metaStep(model, params, tasks, o);
  const rng = new SeededRng(11);
  let worst = 0;
  for (const e of model.layout.entries) {
    const v = new Float32Array(params.length);
    let norm = 0;
    for (let i = e.offset; i < e.offset + e.size; i++) {
      v[i] = rng.normal();
      norm += v[i] * v[i];
    }
    const scale = EPS / Math.sqrt(norm);
    const fd =
      (metaStep(model, params.map((x, i) => x + scale * v[i]), tasks, o).loss - metaStep(model, params.map((x, i) => x - scale * v[i]), tasks, o).loss) / (2 * EPS);
    let analytic = 0;
    for (let i = e.offset; i < e.offset + e.size; i++) {
      analytic += (gradient[i] * v[i]) / Math.sqrt(norm);
    }
    worst = Math.max(worst, Math.abs(fd - analytic) / Math.max(Math.abs(fd), Math.abs(analytic), 1e-3));
  }
  return worst;
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
    const params = initParams(model);
    for (const algorithm of ['maml', 'fomaml', 'reptile'] as const) {
      metaStep(model, params, tasks, { algorithm });
      const before = tf.memory().numTensors;
      for (let i = 0; i < 10; i++) {
        metaStep(model, params, tasks, { algorithm });
      }
      expect(tf.memory().numTensors, algorithm).toBe(before);
    }
  });
});
