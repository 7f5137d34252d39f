// Cross-backend parity: the same model, parameters and tasks give the same meta-gradients (MAML,
// FOMAML, Meta-SGD, through metaStep) and the same adapted scores (adapt + score) on cpu, wasm and
// tensorflow (the last where its addon is built; METAREC_REQUIRE_TENSORFLOW=1 makes that required).
// cpu is the reference. Every backend runs float32; only summation orders differ (cpu's loops,
// XNNPACK on wasm, oneDNN/Eigen on tensorflow), accumulated through the inner steps.
import { describe, expect, it } from 'vitest';

import { metaStep, type MetaStepOptions } from '../algorithms/meta-step.js';
import { selectBackend, type BackendName } from '../backend/select-backend.js';
import { initParams } from '../model/init-params.js';
import { createMetaModel, type MetaModel } from '../model/meta-model.js';
import type { ModelConfig } from '../model/model-config.js';
import type { FlatParams } from '../params/param-layout.js';
import { createSyntheticTasks, syntheticLayout } from '../testing/synthetic-tasks.js';
import { probeTensorflowBackend } from '../testing/tensorflow-backend-gate.js';
import { adapt } from './adapt.js';
import { score } from './score.js';
import { loadParams } from './serving-params.js';

/**
 * Tolerances, relative to the largest magnitude of the cpu result (‖Δ‖∞ / ‖cpu‖∞), so entries near
 * zero are judged on the vector's scale. Measured worst over this file's cases (tfjs 4.22, TF 2.21,
 * one x86-64 machine): gradients 2.1e-6 (wasm), 1.5e-6 (tensorflow); losses 1.4e-7; scores 1.2e-7
 * (both). The bounds leave ~50× for other CPUs' kernels; a wrong or missing term moves entries by ≥ 1e-2.
 */
const GRADIENT_REL_TOL = 1e-4;
const SCORE_REL_TOL = 1e-5;

const tensorflow = await probeTensorflowBackend();
const BACKENDS: readonly BackendName[] = ['cpu', 'wasm', ...(tensorflow.available ? (['tensorflow'] as const) : [])];

const layout = syntheticLayout({ userFields: 4, itemFields: 4, cardinality: 50, categoryCount: 5, numericCount: 2 });
const tasks = createSyntheticTasks(layout, { tasks: 4, support: 12, query: 40, seed: 21, labels: 'planted' });
const melu: Partial<ModelConfig> = { embeddingDim: 8, hidden: [16, 8], outputOffset: 3 };

interface GradientCase {
  readonly name: string;
  readonly config: Partial<ModelConfig>;
  readonly options: Partial<MetaStepOptions>;
}

const GRADIENT_CASES: readonly GradientCase[] = [
  { name: 'MAML, second order, decision layers', config: melu, options: { algorithm: 'maml', innerSteps: 3, innerLr: 0.05 } },
  { name: 'MAML, second order, whole model adapted', config: { ...melu, adapt: 'all' }, options: { algorithm: 'maml', innerSteps: 2, innerLr: 0.05 } },
  { name: 'MAML, task by task (stacking off), softplus', config: { ...melu, activation: 'softplus' }, options: { algorithm: 'maml', innerSteps: 3, innerLr: 0.05, batchTasks: false } },
  { name: 'FOMAML', config: melu, options: { algorithm: 'fomaml', innerSteps: 3, innerLr: 0.05 } },
  { name: 'Meta-SGD (learned inner rates)', config: { ...melu, metaSgd: true, metaSgdInitLr: 0.05 }, options: { algorithm: 'maml', innerSteps: 2 } },
];

/** ‖a − b‖∞ / ‖b‖∞. */
function relativeDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  expect(scale).toBeGreaterThan(0);
  return diff / scale;
}

/** Runs `compute` on every backend in turn (tensors are created inside, after the switch). */
async function onEveryBackend<T>(compute: () => T): Promise<Map<BackendName, T>> {
  const out = new Map<BackendName, T>();
  for (const backend of BACKENDS) {
    await selectBackend({ preferred: backend });
    out.set(backend, compute());
  }
  return out;
}

function adaptedScores(model: MetaModel, params: FlatParams): Float32Array[] {
  const base = loadParams(model, params);
  const scores = tasks.map((t) => {
    const user = adapt(base, t.support, { steps: 5, lr: 0.05 });
    const s = score(user, t.query.userIndices.subarray(0, layout.userFields.length), t.query);
    user.dispose();
    return s;
  });
  base.dispose();
  return scores;
}

if (!tensorflow.available) {
  describe('cross-backend parity on tensorflow', () => {
    it.skip(`skipped: ${tensorflow.detail}`, () => undefined);
  });
}

describe(`cross-backend parity (${BACKENDS.join(', ')}; cpu is the reference)`, () => {
  it.each(GRADIENT_CASES)(`metaStep gives the same meta-gradient and loss: $name (‖Δ‖∞/‖g‖∞ ≤ ${GRADIENT_REL_TOL})`, async ({ config, options }) => {
    const model = createMetaModel(layout, config);
    const params = initParams(model, 4);
    const results = await onEveryBackend(() => metaStep(model, params, tasks, options));
    const cpu = results.get('cpu');
    if (cpu === undefined) {
      throw new Error('cpu ran first');
    }
    // Not trivially equal: a real gradient on every parameter group that adapts.
    expect(Math.max(...cpu.gradient.map(Math.abs))).toBeGreaterThan(1e-3);
    for (const [backend, r] of results) {
      expect(relativeDifference(r.gradient, cpu.gradient), `${backend} gradient`).toBeLessThanOrEqual(GRADIENT_REL_TOL);
      expect(Math.abs(r.loss - cpu.loss) / Math.abs(cpu.loss), `${backend} loss`).toBeLessThanOrEqual(SCORE_REL_TOL);
      expect(r.taskCount).toBe(cpu.taskCount);
    }
  });

  it.each(['decision-layers', 'all'] as const)(`adapt (5 steps) + score give the same scores: adapt %s (‖Δ‖∞/‖s‖∞ ≤ ${SCORE_REL_TOL})`, async (scope) => {
    const model = createMetaModel(layout, { ...melu, adapt: scope });
    const params = initParams(model, 4);
    const results = await onEveryBackend(() => adaptedScores(model, params));
    const cpu = results.get('cpu');
    if (cpu === undefined) {
      throw new Error('cpu ran first');
    }
    expect(cpu[0].length).toBe(40);
    // Not trivially equal: adaptation spread the scores.
    expect(Math.max(...cpu[0]) - Math.min(...cpu[0])).toBeGreaterThan(1e-3);
    for (const [backend, scores] of results) {
      scores.forEach((s, t) => expect(relativeDifference(s, cpu[t]), `${backend} user ${t}`).toBeLessThanOrEqual(SCORE_REL_TOL));
    }
  });
});
