import * as tf from '@tensorflow/tfjs';
import type { UserTask } from '@metarec/schemas';

import { onTensorflowBackend } from '../backend/tfe-backend.js';
import { adaptsDecisionLayersOnly, type InnerLoopSpec } from '../adaptation/inner-loop.js';
import { MetaLearningError } from '../errors.js';
import { scatterAddTableRows } from '../model/host-embeddings.js';
import { PARAM_NAMES, type MetaModel } from '../model/meta-model.js';
import { concatInputs, disposeInputs, prepareTaskInputs, type ModelInputs } from '../model/model-inputs.js';
import type { NamedTensors } from '../params/flat-params.js';
import { assertFlatSize, layoutEntry, type FlatParams } from '../params/param-layout.js';
import { groupGradients } from './batched-task-gradients.js';
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
  /**
   * Run tasks of similar support and query sizes (same power-of-two bucket) as one stacked
   * computation, padded with zero-weight rows (decision-layer adaptation, MAML and FOMAML; FOMAML
   * with Meta-SGD rates stays task by task). Same result up to
   * float rounding; `false` forces the task-by-task loop (tests compare the two). @defaultValue true
   */
  readonly batchTasks: boolean;
}

/** Defaults as MeLU's PyTorch port: 5 steps at 0.01, second order. */
export const DEFAULT_META_STEP_OPTIONS: MetaStepOptions = { algorithm: 'maml', innerSteps: 5, innerLr: 0.01, innerL2: 0, batchTasks: true };

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
  // Without inner steps MAML's meta-gradient is ∇L_q(θ), which is first order's; the second-order
  // form would differentiate with respect to support embeddings the loss never reads (tf.grads throws).
  if (o.algorithm === 'maml' && o.innerSteps > 0) {
    return mamlTaskGradients(ctx, s, q, spec);
  }
  if (o.algorithm === 'fomaml' || o.algorithm === 'maml') {
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
 * by `taskCount`). Tasks of similar sizes run stacked and padded (`batchTasks`, see `taskGroups`), others one by one, each group in its own `tf.tidy`; dense gradients accumulate on
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
  const losses: Array<{ at: readonly number[]; loss: tf.Tensor }> = [];
  const table: TableRowGradient[] = [];
  const accumulate = (grads: tf.Tensor[]): void => {
    if (acc === null) {
      acc = grads;
    } else {
      const prev: tf.Tensor[] = acc;
      acc = tf.tidy(() => prev.map((a, i) => tf.add(a, grads[i])));
      tf.dispose([...prev, ...grads]);
    }
  };
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
    for (const group of taskGroups(model, o, inputs)) {
      let rows: Int32Array[] = [];
      const r = tf.tidy(() => {
        const g =
          group.length > 1
            ? groupGradients(ctx, group.map((i) => inputs[i]), { steps: o.innerSteps, lr: o.innerLr, l2: o.innerL2, learnedLr: model.config.metaSgd }, o.algorithm === 'maml')
            : (() => {
                const t = taskGradients(ctx, o, inputs[group[0]].s, inputs[group[0]].q);
                return { perTaskLoss: t.loss, grads: t.grads, table: t.table };
              })();
        rows = g.table.map((x) => x.rows);
        return { loss: g.perTaskLoss, grads: names.map((n) => g.grads[n]), table: g.table.map((x) => x.grad) };
      });
      losses.push({ at: group, loss: r.loss });
      rows.forEach((rr, i) => table.push({ rows: rr, grad: r.table[i] }));
      accumulate(r.grads);
    }
    return readResult(model, names, acc ?? [], table, losses, tasks.length);
  } finally {
    tf.dispose([...Object.values(ctx.p), ...(acc ?? []), ...losses.map((x) => x.loss), ...table.map((x) => x.grad)]);
    inputs.forEach(({ s, q }) => {
      disposeInputs(s);
      disposeInputs(q);
    });
  }
}

/**
 * Task indices in groups run together: with `batchTasks`, decision-layer adaptation and MAML (or
 * FOMAML without Meta-SGD rates) and at least one inner step, tasks whose support sizes share a
 * bucket (and query sizes too) form one group, padded to its largest task (first appearance
 * order); everything else runs alone. A stacked group instead of a task-by-task loop saves hundreds
 * of small ops per task, which is what a meta-step costs. Buckets trade padding for op count by
 * backend (see {@link BUCKET_BASE}).
 */
function taskGroups(model: MetaModel, o: MetaStepOptions, inputs: ReadonlyArray<{ s: ModelInputs; q: ModelInputs }>): number[][] {
  const stackable =
    o.batchTasks &&
    o.innerSteps > 0 &&
    adaptsDecisionLayersOnly(model, model.adaptedNames) &&
    (o.algorithm === 'maml' || (o.algorithm === 'fomaml' && !model.config.metaSgd));
  if (!stackable) {
    return inputs.map((_, i) => [i]);
  }
  const base = onTensorflowBackend() ? BUCKET_BASE.tensorflow : BUCKET_BASE.other;
  const groups = new Map<string, number[]>();
  inputs.forEach(({ s, q }, i) => {
    const key = `${sizeBucket(s.count, base)}/${sizeBucket(q.count, base)}`;
    const g = groups.get(key);
    if (g === undefined) {
      groups.set(key, [i]);
    } else {
      g.push(i);
    }
  });
  return [...groups.values()];
}

/**
 * Row-count buckets grow by this factor: a group pads its tasks by at most this much. On tensorflow
 * an op costs ~20 µs whatever its size up to thousands of rows, so few wide groups win; wasm's ops are
 * cheap and its products compute-bound, so padding must stay small. Measured on ML-100K
 * (metarec-eval meta_best, FOMAML, one seed; fit seconds): tensorflow one group 7, base 2 9; wasm
 * base 2 11, one group 29 (before padding, equal sizes only: 28 on wasm).
 */
const BUCKET_BASE = { tensorflow: 16, other: 2 } as const;

/** The bucket of a row count: the smallest power of `base` that holds it. */
function sizeBucket(count: number, base: number): number {
  return count <= 1 ? 1 : base ** Math.ceil(Math.log(count) / Math.log(base) - 1e-9);
}

function readResult(
  model: MetaModel,
  names: readonly string[],
  acc: readonly tf.Tensor[],
  table: readonly TableRowGradient[],
  losses: ReadonlyArray<{ at: readonly number[]; loss: tf.Tensor }>,
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
  const perTaskLoss = new Float32Array(taskCount);
  for (const { at, loss } of losses) {
    const values = loss.dataSync();
    at.forEach((task, k) => {
      perTaskLoss[task] = values[k];
    });
  }
  const loss = perTaskLoss.reduce((a, b) => a + b, 0) / taskCount;
  if (!Number.isFinite(loss) || !gradient.every(Number.isFinite)) {
    throw new MetaLearningError('ML_NON_FINITE', `meta-step produced a non-finite ${Number.isFinite(loss) ? 'gradient' : 'loss'}`, { loss });
  }
  return { gradient, taskCount, loss, perTaskLoss };
}
