import * as tf from '@tensorflow/tfjs';

import { decide, embedRows, rowsLoss } from '../model/forward.js';
import { LR_PREFIX, type MetaModel } from '../model/meta-model.js';
import type { ModelInputs } from '../model/model-inputs.js';
import type { NamedTensors } from '../params/flat-params.js';

/** How the inner (per-user) loop runs. */
export interface InnerLoopSpec {
  /** SGD steps on the support set. */
  readonly steps: number;
  /** Step size when the model has no Meta-SGD rates. */
  readonly lr: number;
  /** Coefficient of Σ‖θ‖² over the adapted parameters added to the support loss (0 = off). */
  readonly l2: number;
  /** Parameters to adapt; all others stay as in `params`. */
  readonly names: readonly string[];
  /** Use `lr/<name>` tensors of `params` as per-element step sizes where they exist (Meta-SGD); others step at `lr`. */
  readonly learnedLr: boolean;
  /** Every step multiplied by this (plain or learned rates alike): `adapt`'s support-size shrinkage. @defaultValue 1 */
  readonly stepScale?: number;
}

/** The adapted tensors plus, for first-order Meta-SGD, Σ_k of each step's gradient. */
export interface InnerLoopResult {
  readonly fast: NamedTensors;
  readonly gradSum: NamedTensors | null;
}

/** True when only decision (MLP) layers adapt, so support embeddings can be computed once. */
export function adaptsDecisionLayersOnly(model: MetaModel, names: readonly string[]): boolean {
  const decision = new Set(model.decisionNames);
  return names.every((n) => decision.has(n));
}

/** Support loss of `params` overridden by `fast`; `hs` are precomputed support embeddings (or null to embed here). */
export function supportLoss(model: MetaModel, params: NamedTensors, fast: NamedTensors, support: ModelInputs, hs: tf.Tensor2D | null, l2: number): tf.Scalar {
  const p = { ...params, ...fast };
  const h = hs ?? embedRows(model, p, support);
  let loss = rowsLoss(model, decide(model, p, h), support.labels);
  if (l2 > 0) {
    const sq = Object.values(fast).map((t) => tf.sum(tf.square(t)));
    loss = tf.add(loss, tf.mul(l2, tf.addN(sq)));
  }
  return loss;
}

/**
 * k SGD steps on the support loss over `spec.names`: θ ← θ − α ⊙ ∇θ L_s. Every step is plain tensor
 * math, so when this runs inside an outer `tf.grads` the inner gradients are recorded on the outer
 * tape (tfjs shares one active tape across nested `gradients()` calls) and the outer gradient is
 * exact second order. Outside any tape it is the plain first-order inner loop.
 * `hs`: support embeddings computed once by the caller (decision-layers adaptation), or null.
 */
export function innerLoop(model: MetaModel, params: NamedTensors, support: ModelInputs, hs: tf.Tensor2D | null, spec: InnerLoopSpec, keepGradSum = false): InnerLoopResult {
  let fast: NamedTensors = {};
  for (const n of spec.names) {
    fast[n] = params[n];
  }
  let gradSum: NamedTensors | null = keepGradSum ? {} : null;
  const scale = spec.stepScale ?? 1;
  for (let k = 0; k < spec.steps; k++) {
    const current = fast;
    const xs = spec.names.map((n) => current[n]);
    const grads = tf.grads((...ws: tf.Tensor[]) => {
      const f: NamedTensors = {};
      spec.names.forEach((n, i) => {
        f[n] = ws[i];
      });
      return supportLoss(model, params, f, support, hs, spec.l2);
    })(xs);
    const next: NamedTensors = {};
    spec.names.forEach((n, i) => {
      const learned = spec.learnedLr ? params[LR_PREFIX + n] : undefined;
      const step = learned !== undefined ? tf.mul(learned, grads[i]) : tf.mul(spec.lr, grads[i]);
      next[n] = tf.sub(current[n], scale === 1 ? step : tf.mul(scale, step));
      if (gradSum !== null) {
        gradSum[n] = gradSum[n] === undefined ? grads[i] : tf.add(gradSum[n], grads[i]);
      }
    });
    fast = next;
  }
  if (gradSum !== null && spec.steps === 0) {
    gradSum = Object.fromEntries(spec.names.map((n) => [n, tf.zerosLike(params[n])]));
  }
  return { fast, gradSum };
}
