import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { deviceParams } from '../algorithms/meta-step.js';
import { embedRows } from '../model/forward.js';
import { fieldEmbeddingTensor } from '../model/host-embeddings.js';
import { initParams } from '../model/init-params.js';
import { createMetaModel } from '../model/meta-model.js';
import type { ModelConfig } from '../model/model-config.js';
import { disposeInputs, prepareInputs } from '../model/model-inputs.js';
import { createSyntheticTasks, syntheticLayout } from '../testing/synthetic-tasks.js';
import { innerLoop } from './inner-loop.js';
import { tapeFreeDecisionLoop } from './tape-free-inner-loop.js';

const layout = syntheticLayout({ userFields: 2, itemFields: 2, cardinality: 10, categoryCount: 3, numericCount: 2 });

describe('tapeFreeDecisionLoop (hand-written backward for serving)', () => {
  const cases: Array<[string, Partial<ModelConfig>, number, number]> = [
    ['relu regression with output offset', { activation: 'relu', outputOffset: 3 }, 0, 1],
    ['softplus binary with L2', { activation: 'softplus', task: 'binary' }, 0.01, 1],
    ['Meta-SGD rates', { metaSgd: true, metaSgdInitLr: 0.05, outputOffset: 3 }, 0, 1],
    ['scaled steps (shrinkage) with L2', { activation: 'relu', outputOffset: 3 }, 0.01, 0.3],
    ['scaled steps with Meta-SGD rates and L2', { metaSgd: true, metaSgdInitLr: 0.05, outputOffset: 3 }, 0.01, 0.3],
  ];
  it.each(cases)('matches the taped inner loop: %s', (_name, config, l2, stepScale) => {
    const model = createMetaModel(layout, { embeddingDim: 4, hidden: [8, 6], ...config });
    const labels = config.task === 'binary' ? 'planted-binary' : 'planted';
    const [task] = createSyntheticTasks(layout, { tasks: 1, support: 12, query: 1, seed: 4, labels });
    const flat = initParams(model);
    const p = deviceParams(model, flat);
    const x = prepareInputs(model, task.support);
    const spec = { steps: 3, lr: 0.1, l2, names: model.decisionNames, learnedLr: model.config.metaSgd, stepScale };
    const [a, b] = tf.tidy(() => {
      const hs = embedRows(model, p, x, fieldEmbeddingTensor(model, flat, x.tableRows, x.count));
      const taped = innerLoop(model, p, x, hs, spec).fast;
      const free = tapeFreeDecisionLoop(model, p, hs, x.labels, spec);
      return [model.decisionNames.map((n) => taped[n]), model.decisionNames.map((n) => free[n])];
    });
    let moved = 0;
    model.decisionNames.forEach((n, i) => {
      const ta = a[i].dataSync();
      const fb = b[i].dataSync();
      const orig = p[n].dataSync();
      for (let k = 0; k < ta.length; k++) {
        expect(Math.abs(ta[k] - fb[k]), `${n}[${k}]`).toBeLessThan(1e-5 + 1e-4 * Math.abs(ta[k]));
        moved = Math.max(moved, Math.abs(ta[k] - orig[k]));
      }
    });
    expect(moved).toBeGreaterThan(1e-3);
    tf.dispose([...a, ...b, ...Object.values(p)]);
    disposeInputs(x);
  });
});
