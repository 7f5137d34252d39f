import * as tf from '@tensorflow/tfjs';

import { adaptsDecisionLayersOnly, innerLoop, type InnerLoopSpec } from '../adaptation/inner-loop.js';
import { tapeFreeDecisionLoop } from '../adaptation/tape-free-inner-loop.js';
import { decide, embedRows, rowsLoss } from '../model/forward.js';
import { fieldEmbeddingTensor, localTableTensor } from '../model/host-embeddings.js';
import { LR_PREFIX, PARAM_NAMES, type MetaModel } from '../model/meta-model.js';
import type { ModelInputs } from '../model/model-inputs.js';
import type { NamedTensors } from '../params/flat-params.js';
import type { FlatParams } from '../params/param-layout.js';
import { deviceNames, named } from './device-params.js';

/** Gradient of `emb/categorical` rows: `grad` is `[rows.length × d]` (rows may repeat; they add). */
export interface TableRowGradient {
  readonly rows: Int32Array;
  readonly grad: tf.Tensor;
}

/** One task's contribution: query loss, a gradient for every entry except the categorical table, and the table's row gradients. */
export interface TaskGradients {
  readonly loss: tf.Scalar;
  readonly grads: NamedTensors;
  readonly table: readonly TableRowGradient[];
}

/** What every task-gradient function reads: the model, host params (table lookups) and device params (all but the table). */
export interface TaskContext {
  readonly model: MetaModel;
  readonly flat: FlatParams;
  readonly p: NamedTensors;
}

const TABLE = PARAM_NAMES.categoricalTable;

function queryLoss(model: MetaModel, p: NamedTensors, query: ModelInputs, fieldEmb?: tf.Tensor2D): tf.Scalar {
  return rowsLoss(model, decide(model, p, embedRows(model, p, query, fieldEmb)), query.labels);
}

function zeroLrGrads(ctx: TaskContext, out: NamedTensors): NamedTensors {
  for (const n of ctx.model.lrNames) {
    out[n] ??= tf.zerosLike(ctx.p[n]);
  }
  return out;
}

/**
 * Exact second-order MAML (and Meta-SGD): the whole inner loop runs inside one outer
 * `tf.valueAndGrads`, so ∂L_q(θ'(θ))/∂θ includes the Hessian-vector terms (tfjs shares one tape
 * across nested `gradients()` calls). With decision-layer adaptation the support and query field
 * embeddings are looked up once on the host and enter as leaves: the inner loop runs only the MLP,
 * and their gradients (∂/∂E, second order included) are scattered back to the table rows.
 * With whole-model adaptation a local table of the task's rows is the leaf that adapts.
 */
export function mamlTaskGradients(ctx: TaskContext, support: ModelInputs, query: ModelInputs, spec: InnerLoopSpec): TaskGradients {
  const { model, flat, p } = ctx;
  // Meta-SGD rates are disconnected from the loss when no inner step runs; tf.grads rejects those.
  const names = deviceNames(model, spec.steps > 0);
  if (adaptsDecisionLayersOnly(model, spec.names)) {
    const es = fieldEmbeddingTensor(model, flat, support.tableRows, support.count);
    const eq = fieldEmbeddingTensor(model, flat, query.tableRows, query.count);
    const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => {
      const q = named(names, xs);
      const hs = embedRows(model, q, support, xs[names.length] as tf.Tensor2D);
      const { fast } = innerLoop(model, q, support, hs, spec);
      return queryLoss(model, { ...q, ...fast }, query, xs[names.length + 1] as tf.Tensor2D);
    })([...names.map((n) => p[n]), es, eq]);
    return {
      loss: value as tf.Scalar,
      grads: zeroLrGrads(ctx, named(names, grads)),
      table: [
        { rows: support.tableRows, grad: grads[names.length] },
        { rows: query.tableRows, grad: grads[names.length + 1] },
      ],
    };
  }
  const local = localTableTensor(model, flat, support.uniqueRows);
  const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => {
    const q = { ...named(names, xs), [TABLE]: xs[names.length] };
    const { fast } = innerLoop(model, q, support, null, spec);
    return queryLoss(model, { ...q, ...fast }, query);
  })([...names.map((n) => p[n]), local]);
  return { loss: value as tf.Scalar, grads: zeroLrGrads(ctx, named(names, grads)), table: [{ rows: support.uniqueRows, grad: grads[names.length] }] };
}

/**
 * First-order MAML (FOMAML): the inner loop runs off-tape; the meta-gradient is ∇L_q at the adapted
 * parameters, applied to the initial ones. Non-adapted parameters (the embeddings under MeLU's
 * decision-layer adaptation) get ∂L_q/∂θ through the query embeddings only, as the PyTorch reference
 * (support embeddings detached). Meta-SGD rates get −∇L_q(θ') ⊙ Σ_k g_k (inner gradients as constants).
 */
export function fomamlTaskGradients(ctx: TaskContext, support: ModelInputs, query: ModelInputs, spec: InnerLoopSpec): TaskGradients {
  const { model, flat, p } = ctx;
  const decisionOnly = adaptsDecisionLayersOnly(model, spec.names);
  const base: NamedTensors = decisionOnly ? p : { ...p, [TABLE]: localTableTensor(model, flat, support.uniqueRows) };
  const hs = decisionOnly ? embedRows(model, p, support, fieldEmbeddingTensor(model, flat, support.tableRows, support.count)) : null;
  // Off-tape inner loop: the hand-written MLP backward (half the kernels of tf.grads) when it applies.
  const { fast, gradSum } =
    hs !== null && !spec.learnedLr ? { fast: tapeFreeDecisionLoop(model, base, hs, support.labels, spec), gradSum: null } : innerLoop(model, base, support, hs, spec, spec.learnedLr);
  const adapted = new Set(spec.names);
  const outer = deviceNames(model, false).filter((n) => !adapted.has(n));
  const leaves = [...outer, ...spec.names];
  const eq = decisionOnly ? fieldEmbeddingTensor(model, flat, query.tableRows, query.count) : null;
  const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) =>
    queryLoss(model, { ...base, ...named(leaves, xs) }, query, eq === null ? undefined : (xs[leaves.length] as tf.Tensor2D)),
  )([...outer.map((n) => p[n]), ...spec.names.map((n) => fast[n]), ...(eq === null ? [] : [eq])]);
  const out = named(leaves, grads);
  for (const n of spec.names) {
    if (spec.learnedLr && gradSum !== null) {
      out[LR_PREFIX + n] = tf.neg(tf.mul(out[n], gradSum[n]));
    }
  }
  const table: TableRowGradient[] = eq === null ? [{ rows: support.uniqueRows, grad: out[TABLE] }] : [{ rows: query.tableRows, grad: grads[leaves.length] }];
  delete out[TABLE];
  return { loss: value as tf.Scalar, grads: out, table };
}

/**
 * Reptile (Nichol et al. 2018): k SGD steps on all of the task's rows (support ∪ query), every
 * parameter adapted (under decision-layer adaptation the embeddings would otherwise never move);
 * the "gradient" is θ − θ', which the same Adam update consumes. Loss: query loss at θ'.
 * `all` and `query` must share one local table (`prepareTaskInputs` + `concatInputs`).
 */
export function reptileTaskGradients(ctx: TaskContext, all: ModelInputs, query: ModelInputs, spec: InnerLoopSpec): TaskGradients {
  const { model, flat, p } = ctx;
  const names = [TABLE, ...deviceNames(model, false)];
  const base: NamedTensors = { ...p, [TABLE]: localTableTensor(model, flat, all.uniqueRows) };
  const { fast } = innerLoop(model, base, all, null, { ...spec, names, learnedLr: false });
  const grads: NamedTensors = {};
  for (const n of names) {
    grads[n] = tf.sub(base[n], fast[n]);
  }
  const table = [{ rows: all.uniqueRows, grad: grads[TABLE] }];
  delete grads[TABLE];
  return { loss: queryLoss(model, { ...base, ...fast }, query), grads, table };
}
