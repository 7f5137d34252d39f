import * as tf from '@tensorflow/tfjs';
import type { UserTask } from '@metarec/schemas';

import type { InnerLoopSpec } from '../adaptation/inner-loop.js';
import { MetaLearningError } from '../errors.js';
import type { MetaModel } from '../model/meta-model.js';
import { concatInputs, disposeInputs, prepareInputs, type ModelInputs } from '../model/model-inputs.js';
import { unflattenToTensors } from '../params/flat-params.js';
import { assertFlatSize, type FlatParams } from '../params/param-layout.js';
import { fomamlTaskGradients, mamlTaskGradients, reptileTaskGradients, type TaskGradients } from './task-gradients.js';

/** `maml`: exact second order; `fomaml`: first order; `reptile`: θ − θ'. Meta-SGD = `maml`/`fomaml` on a model with `metaSgd: true`. */
export type MetaAlgorithm = 'maml' | 'fomaml' | 'reptile';

/** Options of one meta-step (the inner loop; the outer update is `applyUpdate`). */
export interface MetaStepOptions {
  /** @defaultValue 'maml' */
  readonly algorithm: MetaAlgorithm;
  /** Inner SGD steps per task. @defaultValue 5 */
  readonly innerSteps: number;
  /** Inner step size (ignored for Meta-SGD models, which learn theirs). @defaultValue 0.01 */
  readonly innerLr: number;
  /** L2 coefficient on the adapted parameters inside the support loss. @defaultValue 0 */
  readonly innerL2: number;
}

/** Defaults as MeLU's PyTorch port: 5 steps at 0.01, second order. */
export const DEFAULT_META_STEP_OPTIONS: MetaStepOptions = { algorithm: 'maml', innerSteps: 5, innerLr: 0.01, innerL2: 0 };

/** What a worker returns: the mean meta-gradient over its tasks in the model's layout, and their loss. */
export interface MetaStepResult {
  /** Mean over tasks, same layout (and length) as `params`. */
  readonly gradient: FlatParams;
  readonly taskCount: number;
  /** Mean query loss over tasks (after adaptation): MSE or BCE. */
  readonly loss: number;
  /** Query loss of each task, in input order. */
  readonly perTaskLoss: Float32Array;
}

/** Merges and validates. @throws MetaLearningError `ML_CONFIG_INVALID` naming the field. */
export function resolveMetaStepOptions(model: MetaModel, options: Partial<MetaStepOptions> = {}): MetaStepOptions {
  const o = { ...DEFAULT_META_STEP_OPTIONS, ...options };
  const bad = (field: string, why: string): never => {
    throw new MetaLearningError('ML_CONFIG_INVALID', `MetaStepOptions.${field} ${why}`, { field });
  };
  if (!['maml', 'fomaml', 'reptile'].includes(o.algorithm)) {
    bad('algorithm', "must be 'maml', 'fomaml' or 'reptile'");
  }
  if (!Number.isInteger(o.innerSteps) || o.innerSteps < 0) {
    bad('innerSteps', 'must be an integer >= 0');
  }
  if (!(o.innerLr >= 0) || !(o.innerL2 >= 0)) {
    bad('innerLr/innerL2', 'must be >= 0');
  }
  if (o.algorithm === 'reptile' && model.config.metaSgd) {
    bad('algorithm', 'reptile has no learned inner rates; use maml or fomaml with a Meta-SGD model');
  }
  return o;
}

function innerSpec(model: MetaModel, o: MetaStepOptions): InnerLoopSpec {
  return { steps: o.innerSteps, lr: o.innerLr, l2: o.innerL2, names: model.adaptedNames, learnedLr: model.config.metaSgd };
}

function taskGradients(model: MetaModel, o: MetaStepOptions, p: Record<string, tf.Tensor>, s: ModelInputs, q: ModelInputs): TaskGradients {
  const spec = innerSpec(model, o);
  if (o.algorithm === 'maml') {
    return mamlTaskGradients(model, p, s, q, spec);
  }
  if (o.algorithm === 'fomaml') {
    return fomamlTaskGradients(model, p, s, q, spec);
  }
  const all = concatInputs(s, q);
  try {
    return reptileTaskGradients(model, p, all, q, spec);
  } finally {
    disposeInputs(all);
  }
}

/**
 * The pure meta-step `(params, tasks) → (gradient, taskCount, loss)`: same inputs, same bytes out,
 * no state, every tensor released (so workers can run it and the trainer averages gradients weighted
 * by `taskCount`). Tasks run one by one, each in its own `tf.tidy`; gradients accumulate on device and
 * are read once at the end (never `dataSync` inside a tidy).
 * @throws MetaLearningError `ML_TASKS_EMPTY`, `ML_SIZE_MISMATCH`, `ML_CONFIG_INVALID`, `ML_ROWS_INVALID`, `ML_NON_FINITE`.
 */
export function metaStep(model: MetaModel, params: FlatParams, tasks: readonly UserTask[], options: Partial<MetaStepOptions> = {}): MetaStepResult {
  const o = resolveMetaStepOptions(model, options);
  assertFlatSize(model.layout, params);
  if (tasks.length === 0) {
    throw new MetaLearningError('ML_TASKS_EMPTY', 'metaStep needs at least one task', { field: 'tasks' });
  }
  const names = model.layout.entries.map((e) => e.name);
  const inputs: Array<{ s: ModelInputs; q: ModelInputs }> = [];
  const p = unflattenToTensors(model.layout, params);
  let acc: tf.Tensor[] | null = null;
  const losses: tf.Scalar[] = [];
  try {
    for (const t of tasks) {
      inputs.push({ s: prepareInputs(model, t.support), q: prepareInputs(model, t.query) });
    }
    for (const { s, q } of inputs) {
      const r = tf.tidy(() => {
        const g = taskGradients(model, o, p, s, q);
        return { loss: g.loss, grads: names.map((n) => g.grads[n]) };
      });
      losses.push(r.loss);
      if (acc === null) {
        acc = r.grads;
      } else {
        const prev: tf.Tensor[] = acc;
        acc = tf.tidy(() => prev.map((a, i) => tf.add(a, r.grads[i])));
        tf.dispose([...prev, ...r.grads]);
      }
    }
    return readResult(model, acc ?? [], losses, tasks.length);
  } finally {
    tf.dispose([...Object.values(p), ...(acc ?? []), ...losses]);
    inputs.forEach(({ s, q }) => {
      disposeInputs(s);
      disposeInputs(q);
    });
  }
}

function readResult(model: MetaModel, acc: readonly tf.Tensor[], losses: readonly tf.Scalar[], taskCount: number): MetaStepResult {
  const gradient = new Float32Array(model.layout.totalSize);
  model.layout.entries.forEach((e, i) => {
    gradient.set(acc[i].dataSync() as Float32Array, e.offset);
  });
  const inv = 1 / taskCount;
  for (let i = 0; i < gradient.length; i++) {
    gradient[i] *= inv;
  }
  const stacked = tf.stack(losses as tf.Scalar[]);
  const perTaskLoss = stacked.dataSync() as Float32Array;
  stacked.dispose();
  const loss = perTaskLoss.reduce((a, b) => a + b, 0) / taskCount;
  if (!Number.isFinite(loss) || !gradient.every(Number.isFinite)) {
    throw new MetaLearningError('ML_NON_FINITE', `meta-step produced a non-finite ${Number.isFinite(loss) ? 'gradient' : 'loss'}`, { loss });
  }
  return { gradient, taskCount, loss, perTaskLoss: Float32Array.from(perTaskLoss) };
}
