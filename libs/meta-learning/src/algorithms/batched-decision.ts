import * as tf from '@tensorflow/tfjs';

import { activate, layerCount, withItemSide } from '../model/forward.js';
import { fieldEmbeddingTensor } from '../model/host-embeddings.js';
import { biasName, LR_PREFIX, weightName, type MetaModel } from '../model/meta-model.js';
import type { ModelInputs } from '../model/model-inputs.js';
import type { NamedTensors } from '../params/flat-params.js';
import type { FlatParams } from '../params/param-layout.js';
import { onTensorflowBackend } from '../backend/tfe-backend.js';

// The decision MLP over a stack of T tasks with per-task weights: activations `[T, n, width]`,
// weights `[T, in, out]`, biases `[T, 1, out]`. Every product is a 3-D matMul with *equal* batch
// dimensions (no broadcast: tfjs's broadcast gradient defect does not apply), which the runtime's
// wasm BatchMatMul dispatcher runs as T plain 2-D XNNPACK products inside one kernel call. One op
// per layer for all tasks instead of one per task: the per-op dispatch overhead (the cost of this
// tiny MLP on wasm) is paid once per meta-batch. Tasks are independent, so the gradient of the summed
// loss with respect to a task's copy is that task's gradient.

/**
 * Stacked inputs of T tasks padded to a common row count `n`; the caller disposes them
 * (`disposeStacked`). Padding rows repeat the task's first table rows, have zero item-side inputs
 * and label 0, and weigh 0 in every loss, so they contribute exactly zero to every gradient.
 */
export interface StackedRows {
  readonly tasks: number;
  /** Rows per task after padding (the largest task's count). */
  readonly n: number;
  /** Global table rows of all tasks, task-major: `[T·n × fields]`. */
  readonly tableRows: Int32Array;
  readonly categories: tf.Tensor2D | null;
  readonly numeric: tf.Tensor2D | null;
  /** `[T, n]`. */
  readonly labels: tf.Tensor2D;
  /** `[T, n]` row weights of the per-task mean: 1/count for a task's rows, 0 for padding; null when no task is padded. */
  readonly weights: tf.Tensor2D | null;
}

/** Stacks batches, padding each to the largest one's row count. */
export function stackRows(batches: readonly ModelInputs[]): StackedRows {
  const n = Math.max(...batches.map((b) => b.count));
  const fields = batches[0].tableRows.length / batches[0].count;
  const padded = batches.some((b) => b.count !== n);
  const tableRows = new Int32Array(n * fields * batches.length);
  batches.forEach((b, i) => {
    const at = i * n * fields;
    tableRows.set(b.tableRows, at);
    for (let r = b.count; r < n; r++) {
      tableRows.set(b.tableRows.subarray(0, fields), at + r * fields);
    }
  });
  const pad = <T extends tf.Tensor>(x: T, count: number): T => (count === n ? x : (tf.pad(x, x.rank === 1 ? [[0, n - count]] : [[0, n - count], [0, 0]]) as T));
  const cat = (xs: Array<tf.Tensor2D | null>): tf.Tensor2D | null =>
    xs[0] === null ? null : tf.tidy(() => tf.concat(xs.map((x, i) => pad(x as tf.Tensor2D, batches[i].count)), 0));
  let weights: tf.Tensor2D | null = null;
  if (padded) {
    const w = new Float32Array(n * batches.length);
    batches.forEach((b, i) => w.fill(1 / b.count, i * n, i * n + b.count));
    weights = tf.tensor2d(w, [batches.length, n]);
  }
  return {
    tasks: batches.length,
    n,
    tableRows,
    categories: cat(batches.map((b) => b.categories)),
    numeric: cat(batches.map((b) => b.numeric)),
    labels: tf.tidy(() => tf.stack(batches.map((b) => pad(b.labels, b.count)))) as tf.Tensor2D,
    weights,
  };
}

/** Disposes the tensors of `stackRows`. */
export function disposeStacked(x: StackedRows): void {
  tf.dispose([x.labels, ...(x.categories ? [x.categories] : []), ...(x.numeric ? [x.numeric] : []), ...(x.weights ? [x.weights] : [])]);
}

/** Host lookup of the stacked rows' field embeddings, `[T·n, fields·d]`. */
export function stackedFieldEmbeddings(model: MetaModel, flat: FlatParams, x: StackedRows): tf.Tensor2D {
  return fieldEmbeddingTensor(model, flat, x.tableRows, x.tasks * x.n);
}

/** MLP input `[T, n, inputDim]` from the field embeddings (a leaf) plus the item side computed from `p`. */
export function stackedHidden(model: MetaModel, p: NamedTensors, x: StackedRows, fieldEmb: tf.Tensor2D): tf.Tensor3D {
  const h = withItemSide(model, p, x, [fieldEmb]);
  return tf.reshape(h, [x.tasks, x.n, model.inputDim]) as tf.Tensor3D;
}

/**
 * Decision tensors (`names`, default all) copied per task: `[T, …shape]` weights, `[T, 1, out]` biases.
 * A broadcasting multiply by ones (exact; its gradient sums the copies): wasm's Tile kernel, behind
 * `tf.broadcastTo`, took 34 CPU-ms for one `[32, 256, 64]` copy here, the multiply 0.16 ms.
 */
export function perTaskCopies(model: MetaModel, p: NamedTensors, tasks: number, names: readonly string[] = model.decisionNames): NamedTensors {
  const out: NamedTensors = {};
  const ones = tf.ones([tasks, 1, 1]);
  for (const name of names) {
    const t = p[name];
    out[name] = tf.mul(ones, tf.reshape(t, t.rank === 1 ? [1, 1, t.shape[0]] : [1, ...t.shape]));
  }
  return out;
}

/**
 * `a·w` per task (`[T, n, in]·[T, in, out]`). A one-unit layer (the output) is an element-wise
 * product and a sum instead, except on tensorflow (where a 3-D product is one op whatever its shape):
 * one wasm kernel each, where the 3-D matMul dispatches T tiny products.
 */
export function stackedLinear(a: tf.Tensor, w: tf.Tensor): tf.Tensor {
  const [T, inDim, out] = w.shape;
  if (out === 1 && !onTensorflowBackend()) {
    return tf.sum(tf.mul(a, tf.reshape(w, [T, 1, inDim])), -1, true);
  }
  return tf.matMul(a as tf.Tensor3D, w as tf.Tensor3D);
}

/** `xᵀ·dz` per task (the weight gradient of `stackedLinear`), element-wise for a one-unit layer. */
export function stackedWeightGrad(x: tf.Tensor, dz: tf.Tensor): tf.Tensor {
  if (dz.shape[2] === 1 && !onTensorflowBackend()) {
    const [T, , inDim] = x.shape;
    return tf.reshape(tf.sum(tf.mul(x, dz), 1), [T, inDim, 1]);
  }
  return tf.matMul(x as tf.Tensor3D, dz as tf.Tensor3D, true, false);
}

/** `dz·wᵀ` per task (the input gradient of `stackedLinear`), a broadcast product for a one-unit layer. */
export function stackedInputGrad(dz: tf.Tensor, w: tf.Tensor): tf.Tensor {
  const [T, inDim, out] = w.shape;
  if (out === 1 && !onTensorflowBackend()) {
    return tf.mul(dz, tf.reshape(w, [T, 1, inDim]));
  }
  return tf.matMul(dz as tf.Tensor3D, w as tf.Tensor3D, false, true);
}

/** Raw outputs `[T, n]` of the per-task MLPs `w` on `h` (`[T, n, inputDim]`). */
export function stackedDecide(model: MetaModel, w: NamedTensors, h: tf.Tensor3D): tf.Tensor2D {
  const L = layerCount(model);
  let a: tf.Tensor = h;
  for (let k = 0; k < L; k++) {
    const z = tf.add(stackedLinear(a, w[weightName(k)]), w[biasName(k)]);
    a = k + 1 < L ? activate(model, z as tf.Tensor2D) : z;
  }
  const out = tf.reshape(a, [h.shape[0], h.shape[1]]) as tf.Tensor2D;
  return model.config.task === 'regression' && model.config.outputOffset !== 0 ? tf.add(out, model.config.outputOffset) : out;
}

/**
 * Per-task mean loss `[T]`: MSE, or BCE from logits as softplus(z) − y·z (second-order safe, as
 * `rowsLoss`); over a task's own rows only when `weights` (padded stacks) are given.
 */
export function stackedLoss(model: MetaModel, out: tf.Tensor2D, labels: tf.Tensor2D, weights: tf.Tensor2D | null = null): tf.Tensor1D {
  const e = model.config.task === 'regression' ? tf.square(tf.sub(out, labels)) : tf.sub(tf.softplus(out), tf.mul(labels, out));
  return (weights === null ? tf.mean(e, 1) : tf.sum(tf.mul(e, weights), 1)) as tf.Tensor1D;
}

/** Step sizes: plain `lr`, or Meta-SGD's `lr/<name>` (broadcasts over the task axis). */
function stepOf(params: NamedTensors, name: string, lr: number, learnedLr: boolean): number | tf.Tensor {
  return learnedLr ? (params[LR_PREFIX + name] ?? lr) : lr;
}

/** Per-task inner-loop settings (as `InnerLoopSpec`, decision layers only). */
export interface StackedInnerSpec {
  readonly steps: number;
  readonly lr: number;
  readonly l2: number;
  readonly learnedLr: boolean;
}

/**
 * k SGD steps of every task's MLP on its support loss, with `tf.grads` of the summed loss (one tape
 * for all tasks). Inside an outer tape this is exact second-order MAML, as `innerLoop`.
 */
export function stackedInnerLoop(
  model: MetaModel,
  params: NamedTensors,
  hs: tf.Tensor3D,
  labels: tf.Tensor2D,
  weights: tf.Tensor2D | null,
  spec: StackedInnerSpec,
): NamedTensors {
  const names = model.decisionNames;
  let fast = perTaskCopies(model, params, hs.shape[0]);
  for (let k = 0; k < spec.steps; k++) {
    const current = fast;
    const grads = tf.grads((...ws: tf.Tensor[]) => {
      const f: NamedTensors = {};
      names.forEach((n, i) => {
        f[n] = ws[i];
      });
      let loss: tf.Scalar = tf.sum(stackedLoss(model, stackedDecide(model, f, hs), labels, weights));
      if (spec.l2 > 0) {
        loss = tf.add(loss, tf.mul(spec.l2, tf.addN(ws.map((w) => tf.sum(tf.square(w))))));
      }
      return loss;
    })(names.map((n) => current[n]));
    const next: NamedTensors = {};
    names.forEach((n, i) => {
      next[n] = tf.sub(current[n], tf.mul(stepOf(params, n, spec.lr, spec.learnedLr), grads[i]));
    });
    fast = next;
  }
  return fast;
}

/** `g` (`[T, …]`, one gradient per task copy) summed over tasks, in the shape of the shared `like`. */
export function sumOverTasks(g: tf.Tensor, like: tf.Tensor): tf.Tensor {
  return tf.reshape(tf.sum(g, g.rank === 3 && like.rank === 1 ? [0, 1] : 0), like.shape);
}
