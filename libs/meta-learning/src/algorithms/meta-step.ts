import * as tf from '@tensorflow/tfjs';
import type { UserTask } from '@metarec/schemas';

import type { InnerLoopSpec } from '../adaptation/inner-loop.js';
import { MetaLearningError } from '../errors.js';
import { scatterAddTableRows } from '../model/host-embeddings.js';
import { PARAM_NAMES, type MetaModel } from '../model/meta-model.js';
import { concatInputs, disposeInputs, prepareTaskInputs, type ModelInputs } from '../model/model-inputs.js';
import type { NamedTensors } from '../params/flat-params.js';
import { assertFlatSize, layoutEntry, type FlatParams } from '../params/param-layout.js';
import {
  fomamlTaskGradients,
  mamlTaskGradients,
  reptileTaskGradients,
  type TableRowGradient,
  type TaskContext,
  type TaskGradients,
} from './task-gradients.js';

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

function taskGradients(ctx: TaskContext, o: MetaStepOptions, s: ModelInputs, q: ModelInputs): TaskGradients {
  const spec = innerSpec(ctx.model, o);
  if (o.algorithm === 'maml') {
    return mamlTaskGradients(ctx, s, q, spec);
  }
  if (o.algorithm === 'fomaml') {
    return fomamlTaskGradients(ctx, s, q, spec);
  }
  const all = concatInputs(s, q);
  try {
    return reptileTaskGradients(ctx, all, q, spec);
  } finally {
    disposeInputs(all);
  }
}

/** Device tensors of every entry except the categorical table (which stays on the host). */
export function deviceParams(model: MetaModel, params: FlatParams): NamedTensors {
  const out: NamedTensors = {};
  for (const e of model.layout.entries) {
    if (e.name !== PARAM_NAMES.categoricalTable) {
      out[e.name] = tf.tensor(params.subarray(e.offset, e.offset + e.size), [...e.shape], 'float32');
    }
  }
  return out;
}

/**
 * The pure meta-step `(params, tasks) → (gradient, taskCount, loss)`: same inputs, same bytes out,
 * no state, every tensor released (so workers can run it and the trainer averages gradients weighted
 * by `taskCount`). Tasks run one by one, each in its own `tf.tidy`; dense gradients accumulate on
 * device, table-row gradients are scattered on the host, and everything is read once at the end
 * (never `dataSync` inside a tidy).
 * @throws MetaLearningError `ML_TASKS_EMPTY`, `ML_SIZE_MISMATCH`, `ML_CONFIG_INVALID`, `ML_ROWS_INVALID`, `ML_NON_FINITE`.
 */
export function metaStep(model: MetaModel, params: FlatParams, tasks: readonly UserTask[], options: Partial<MetaStepOptions> = {}): MetaStepResult {
  const o = resolveMetaStepOptions(model, options);
  assertFlatSize(model.layout, params);
  if (tasks.length === 0) {
    throw new MetaLearningError('ML_TASKS_EMPTY', 'metaStep needs at least one task', { field: 'tasks' });
  }
  const names = model.layout.entries.map((e) => e.name).filter((n) => n !== PARAM_NAMES.categoricalTable);
  const inputs: Array<{ s: ModelInputs; q: ModelInputs }> = [];
  const ctx: TaskContext = { model, flat: params, p: deviceParams(model, params) };
  let acc: tf.Tensor[] | null = null;
  const losses: tf.Scalar[] = [];
  const table: TableRowGradient[] = [];
  try {
    for (const t of tasks) {
      if (t.support.count === 0 || t.query.count === 0) {
        throw new MetaLearningError('ML_ROWS_INVALID', `task ${t.userId} has ${t.support.count} support and ${t.query.count} query rows; both must be > 0`, {
          field: 'tasks',
          userId: t.userId,
        });
      }
      inputs.push(prepareTaskInputs(model, t.support, t.query));
    }
    for (const { s, q } of inputs) {
      let rows: Int32Array[] = [];
      const r = tf.tidy(() => {
        const g = taskGradients(ctx, o, s, q);
        rows = g.table.map((x) => x.rows);
        return { loss: g.loss, grads: names.map((n) => g.grads[n]), table: g.table.map((x) => x.grad) };
      });
      losses.push(r.loss);
      rows.forEach((rr, i) => table.push({ rows: rr, grad: r.table[i] }));
      if (acc === null) {
        acc = r.grads;
      } else {
        const prev: tf.Tensor[] = acc;
        acc = tf.tidy(() => prev.map((a, i) => tf.add(a, r.grads[i])));
        tf.dispose([...prev, ...r.grads]);
      }
    }
    return readResult(model, names, acc ?? [], table, losses, tasks.length);
  } finally {
    tf.dispose([...Object.values(ctx.p), ...(acc ?? []), ...losses, ...table.map((x) => x.grad)]);
    inputs.forEach(({ s, q }) => {
      disposeInputs(s);
      disposeInputs(q);
    });
  }
}

function readResult(
  model: MetaModel,
  names: readonly string[],
  acc: readonly tf.Tensor[],
  table: readonly TableRowGradient[],
  losses: readonly tf.Scalar[],
  taskCount: number,
): MetaStepResult {
  const gradient = new Float32Array(model.layout.totalSize);
  const inv = 1 / taskCount;
  names.forEach((n, i) => {
    const e = layoutEntry(model.layout, n);
    const values = acc[i].dataSync();
    for (let k = 0; k < e.size; k++) {
      gradient[e.offset + k] = values[k] * inv;
    }
  });
  for (const t of table) {
    scatterAddTableRows(model, gradient, t.rows, t.grad.dataSync() as Float32Array, inv);
  }
  const stacked = tf.stack(losses as tf.Scalar[]);
  const perTaskLoss = Float32Array.from(stacked.dataSync());
  stacked.dispose();
  const loss = perTaskLoss.reduce((a, b) => a + b, 0) / taskCount;
  if (!Number.isFinite(loss) || !gradient.every(Number.isFinite)) {
    throw new MetaLearningError('ML_NON_FINITE', `meta-step produced a non-finite ${Number.isFinite(loss) ? 'gradient' : 'loss'}`, { loss });
  }
  return { gradient, taskCount, loss, perTaskLoss };
}
