import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { initParams } from '../model/init-params.js';
import { createMetaModel } from '../model/meta-model.js';
import { selectBackend } from '../backend/select-backend.js';
import { createSyntheticTasks, syntheticLayout } from '../testing/synthetic-tasks.js';
import { selectRows } from '../training-loop/encoded-rows-ops.js';
import { adapt } from './adapt.js';
import { predictRows, score } from './score.js';
import { loadParams } from './serving-params.js';

beforeAll(async () => {
  await selectBackend({ preferred: 'wasm' });
});

const layout = syntheticLayout({ userFields: 4, itemFields: 4, cardinality: 50, categoryCount: 5, numericCount: 2 });
const users = createSyntheticTasks(layout, { tasks: 4, support: 20, query: 200, seed: 8, labels: 'planted' });

describe('serving path on the wasm backend', () => {
  it.each(['decision-layers', 'all'] as const)('score (fused, split first layer) equals the full forward after adapt (%s)', (scope) => {
    expect(tf.getBackend()).toBe('wasm');
    const model = createMetaModel(layout, { embeddingDim: 8, hidden: [16, 8], outputOffset: 3, adapt: scope });
    const base = loadParams(model, initParams(model));
    const u = adapt(base, users[0].support, { steps: 5, lr: 0.05 });
    const a = score(u, users[0].query.userIndices.subarray(0, 4), users[0].query);
    const b = predictRows(u, users[0].query);
    for (let i = 0; i < a.length; i++) {
      expect(a[i]).toBeCloseTo(b[i], 4);
    }
    u.dispose();
    base.dispose();
  });

  it('score calls of different sizes in a row (one shared lookup buffer) each equal the full forward', () => {
    const model = createMetaModel(layout, { embeddingDim: 8, hidden: [16, 8] });
    const base = loadParams(model, initParams(model));
    const u = adapt(base, users[1].support, { steps: 3, lr: 0.05 });
    const userFields = users[1].query.userIndices.subarray(0, 4);
    // Large, then small, then large again: a stale tail or a shared view would show as a mismatch.
    for (const t of [users[1], users[2], users[3]]) {
      const rows = t === users[2] ? selectRows(t.query, [0, 1, 2, 3, 4, 5, 6], layout) : t.query;
      const a = score(u, userFields, rows);
      const reference = predictRows(u, { ...rows, userIndices: rows.userIndices.map((_, i) => userFields[i % 4]) });
      expect(a.length).toBe(rows.count);
      for (let i = 0; i < a.length; i++) {
        expect(a[i]).toBeCloseTo(reference[i], 4);
      }
    }
    u.dispose();
    base.dispose();
  });

  it('keeps tf.memory().numTensors flat over 300 adapt + score calls', () => {
    const model = createMetaModel(layout, { embeddingDim: 8, hidden: [16, 8] });
    const base = loadParams(model, initParams(model));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 300; i++) {
      const t = users[i % users.length];
      const u = adapt(base, t.support, { steps: 5 });
      score(u, t.query.userIndices.subarray(0, 4), t.query);
      u.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    base.dispose();
  });
});
