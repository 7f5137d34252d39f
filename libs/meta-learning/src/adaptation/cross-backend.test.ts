// Issue guard: the same model and data give the same predictions on the cpu and wasm backends.
// Both run float32; the tolerance covers summation-order differences (XNNPACK vs the cpu kernels)
// accumulated through 5 adaptation steps.
import { describe, expect, it } from 'vitest';

import { metaStep } from '../algorithms/meta-step.js';
import { initParams } from '../model/init-params.js';
import { createMetaModel } from '../model/meta-model.js';
import { selectBackend } from '../backend/select-backend.js';
import { createSyntheticTasks, syntheticLayout } from '../testing/synthetic-tasks.js';
import { adapt } from './adapt.js';
import { score } from './score.js';
import { loadParams } from './serving-params.js';

const ABS_TOLERANCE = 1e-4;

const layout = syntheticLayout({ userFields: 4, itemFields: 4, cardinality: 50, categoryCount: 5, numericCount: 2 });
const tasks = createSyntheticTasks(layout, { tasks: 4, support: 12, query: 40, seed: 21, labels: 'planted' });
const model = createMetaModel(layout, { embeddingDim: 8, hidden: [16, 8], outputOffset: 3 });
const params = initParams(model, 4);

interface Outputs {
  readonly scores: Float32Array[];
  readonly gradient: Float32Array;
}

async function runOn(backend: 'cpu' | 'wasm'): Promise<Outputs> {
  await selectBackend({ preferred: backend });
  const base = loadParams(model, params);
  const scores = tasks.map((t) => {
    const user = adapt(base, t.support, { steps: 5, lr: 0.05 });
    const s = score(user, t.query.userIndices.subarray(0, layout.userFields.length), t.query);
    user.dispose();
    return s;
  });
  base.dispose();
  const { gradient } = metaStep(model, params, tasks, { algorithm: 'maml', innerSteps: 3, innerLr: 0.05 });
  return { scores, gradient };
}

describe('cpu and wasm backends', () => {
  it(`give the same adapted scores and meta-gradient (|Δ| ≤ ${ABS_TOLERANCE})`, async () => {
    const cpu = await runOn('cpu');
    const wasm = await runOn('wasm');
    let worstScore = 0;
    cpu.scores.forEach((s, t) => s.forEach((v, i) => (worstScore = Math.max(worstScore, Math.abs(v - wasm.scores[t][i])))));
    let worstGradient = 0;
    cpu.gradient.forEach((v, i) => (worstGradient = Math.max(worstGradient, Math.abs(v - wasm.gradient[i]))));
    expect(cpu.scores[0].length).toBe(40);
    expect(worstScore).toBeLessThanOrEqual(ABS_TOLERANCE);
    expect(worstGradient).toBeLessThanOrEqual(ABS_TOLERANCE);
    // Not trivially equal: adaptation moved the scores away from the base model's.
    const spread = Math.max(...cpu.scores[0]) - Math.min(...cpu.scores[0]);
    expect(spread).toBeGreaterThan(1e-3);
  });
});
