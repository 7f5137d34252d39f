import * as tf from '@tensorflow/tfjs';

import { adaptsDecisionLayersOnly, innerLoop, type InnerLoopSpec } from '../adaptation/inner-loop.js';
import { decide, embedRows, rowsLoss } from '../model/forward.js';
import { LR_PREFIX, type MetaModel } from '../model/meta-model.js';
import type { ModelInputs } from '../model/model-inputs.js';
import type { NamedTensors } from '../params/flat-params.js';

/** One task's contribution: its query loss and a gradient tensor for every layout entry. */
export interface TaskGradients {
  readonly loss: tf.Scalar;
  readonly grads: NamedTensors;
}

function named(names: readonly string[], tensors: readonly tf.Tensor[]): NamedTensors {
  const out: NamedTensors = {};
  names.forEach((n, i) => {
    out[n] = tensors[i];
  });
  return out;
}

function queryLoss(model: MetaModel, p: NamedTensors, query: ModelInputs): tf.Scalar {
  return rowsLoss(model, decide(model, p, embedRows(model, p, query)), query.labels);
}

/**
 * Exact second-order MAML (and Meta-SGD): the whole inner loop runs inside one outer
 * `tf.valueAndGrads`, so ∂L_q(θ'(θ))/∂θ includes the Hessian-vector terms. With decision-layer
 * adaptation the support embeddings are computed once on the outer tape: the inner loop runs only
 * the MLP, and the outer gradient still reaches the embedding tables through them.
 */
export function mamlTaskGradients(model: MetaModel, p: NamedTensors, support: ModelInputs, query: ModelInputs, spec: InnerLoopSpec): TaskGradients {
  // Meta-SGD rates are disconnected from the loss when no inner step runs; tf.grads rejects those.
  const names = model.layout.entries.map((e) => e.name).filter((n) => spec.steps > 0 || !n.startsWith(LR_PREFIX));
  const decisionOnly = adaptsDecisionLayersOnly(model, spec.names);
  const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => {
    const q = named(names, xs);
    const hs = decisionOnly ? embedRows(model, q, support) : null;
    const { fast } = innerLoop(model, q, support, hs, spec);
    return queryLoss(model, { ...q, ...fast }, query);
  })(names.map((n) => p[n]));
  const out = named(names, grads);
  for (const n of model.lrNames) {
    out[n] ??= tf.zerosLike(p[n]);
  }
  return { loss: value as tf.Scalar, grads: out };
}

/**
 * First-order MAML (FOMAML): the inner loop runs off-tape; the meta-gradient is ∇L_q at the adapted
 * parameters, applied to the initial ones. Non-adapted parameters (the embeddings under MeLU's
 * decision-layer adaptation) get ∂L_q/∂θ through the query embeddings only, as the PyTorch reference
 * (support embeddings detached). Meta-SGD rates get −∇L_q(θ') ⊙ Σ_k g_k (inner gradients as constants).
 */
export function fomamlTaskGradients(model: MetaModel, p: NamedTensors, support: ModelInputs, query: ModelInputs, spec: InnerLoopSpec): TaskGradients {
  const hs = adaptsDecisionLayersOnly(model, spec.names) ? embedRows(model, p, support) : null;
  const { fast, gradSum } = innerLoop(model, p, support, hs, spec, spec.learnedLr);
  const adapted = new Set(spec.names);
  const outerNames = model.layout.entries.map((e) => e.name).filter((n) => !adapted.has(n) && !n.startsWith(LR_PREFIX));
  const names = [...outerNames, ...spec.names];
  const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => queryLoss(model, { ...p, ...named(names, xs) }, query))([
    ...outerNames.map((n) => p[n]),
    ...spec.names.map((n) => fast[n]),
  ]);
  const out = named(names, grads);
  for (const n of spec.names) {
    if (spec.learnedLr && gradSum !== null) {
      out[LR_PREFIX + n] = tf.neg(tf.mul(out[n], gradSum[n]));
    }
  }
  return { loss: value as tf.Scalar, grads: out };
}

/**
 * Reptile (Nichol et al. 2018): k SGD steps on all of the task's rows (support ∪ query), every
 * parameter adapted (under decision-layer adaptation the embeddings would otherwise never move);
 * the "gradient" is θ − θ', which the same Adam update consumes. Loss: query loss at θ'.
 */
export function reptileTaskGradients(model: MetaModel, p: NamedTensors, all: ModelInputs, query: ModelInputs, spec: InnerLoopSpec): TaskGradients {
  const names = model.layout.entries.map((e) => e.name).filter((n) => !n.startsWith(LR_PREFIX));
  const { fast } = innerLoop(model, p, all, null, { ...spec, names, learnedLr: false });
  const grads: NamedTensors = {};
  for (const n of names) {
    grads[n] = tf.sub(p[n], fast[n]);
  }
  return { loss: queryLoss(model, { ...p, ...fast }, query), grads };
}
