import * as tf from '@tensorflow/tfjs';

import { activate, layerCount } from '../model/forward.js';
import { biasName, weightName, type MetaModel } from '../model/meta-model.js';
import type { NamedTensors } from '../params/flat-params.js';
import { perTaskCopies, stackedInputGrad, stackedLinear, stackedWeightGrad, type StackedInnerSpec } from './batched-decision.js';
import { matMul2d } from '../backend/mat-mul-2d.js';
import { reluGrad } from '../backend/relu-grad.js';

// The first decision layer in closed form across inner steps. Its input hs (support embeddings) is
// the same at every inner step, so every update of a task's first layer lies in the span of hs:
//   W₀⁽ˢ⁾ = cˢ·θ₀ − lr·hsᵀ·Aₛ,  b₀⁽ˢ⁾ = cˢ·β₀ − lr·1ᵀ·Aₛ,  Aₛ₊₁ = c·Aₛ + Dₛ,  c = 1 − 2·lr·l2,
// where Dₛ = ∂L_s/∂z₀ (`[T, n, out₀]`) at step s. Hence the pre-activations
//   z₀⁽ˢ⁾ = cˢ·(hs·θ₀ + β₀) − lr·(hs·hsᵀ + 1)·Aₛ   and for the query   cˢ·(hq·θ₀ + β₀) − lr·(hq·hsᵀ + 1)·Aₛ.
// hs·θ₀ is one plain 2-D product over all tasks' rows (XNNPACK's fast path) computed once; per step
// only a `[T, n, n]·[T, n, out₀]` product remains instead of `[T, n, in]·[T, in, out₀]` products
// forward and backward (in = 256 at MeLU size). Exact (same math, plain differentiable ops), so the
// outer tape gives the same second-order meta-gradient (checked against FD and the explicit loop).
// Not for Meta-SGD (element-wise rates on W₀ break the span argument): the explicit loop runs then.

/** The first layer's state after the inner loop, for the query forward. */
export interface GramState {
  /** Adapted layers 1..L−1, per task `[T, …]`. */
  readonly upper: NamedTensors;
  /** Σ-accumulated first-layer output gradients `Aₛ` (× lr when `prescaled`), or null after 0 steps. */
  readonly acc: tf.Tensor3D | null;
  /** cˢ. */
  readonly decay: number;
}

/** True when the closed form applies: a hidden layer exists and the step size is a plain scalar. */
export function gramApplies(model: MetaModel, learnedLr: boolean): boolean {
  return !learnedLr && layerCount(model) >= 2;
}

function upperNames(model: MetaModel): string[] {
  return model.decisionNames.slice(2);
}

/** Raw outputs `[T, n]` from first-layer pre-activations `z0` through the per-task upper layers. */
export function decideFromFirst(model: MetaModel, upper: NamedTensors, z0: tf.Tensor3D): tf.Tensor2D {
  const L = layerCount(model);
  let a: tf.Tensor = activate(model, z0 as unknown as tf.Tensor2D);
  for (let k = 1; k < L; k++) {
    const z = tf.add(stackedLinear(a, upper[weightName(k)]), upper[biasName(k)]);
    a = k + 1 < L ? activate(model, z as tf.Tensor2D) : z;
  }
  const out = tf.reshape(a, [z0.shape[0], z0.shape[1]]) as tf.Tensor2D;
  return model.config.task === 'regression' && model.config.outputOffset !== 0 ? tf.add(out, model.config.outputOffset) : out;
}

/** `x·θ₀ + β₀` for stacked rows `x` (`[T, n, in]`) as one 2-D product, shaped `[T, n, out₀]`. */
export function firstLayerBase(model: MetaModel, p: NamedTensors, x: tf.Tensor3D): tf.Tensor3D {
  const [T, n, inDim] = x.shape;
  const w = p[weightName(0)] as tf.Tensor2D;
  const z = tf.add(matMul2d(tf.reshape(x, [T * n, inDim]) as tf.Tensor2D, w), p[biasName(0)]);
  return tf.reshape(z, [T, n, w.shape[1]]) as tf.Tensor3D;
}

/** `x·hsᵀ + 1`, `[T, nx, ns]`. */
export function gramKernel(x: tf.Tensor3D, hs: tf.Tensor3D): tf.Tensor3D {
  return tf.add(tf.matMul(x, hs, false, true), 1) as tf.Tensor3D;
}

/** First-layer pre-activations from the base `cˢ·(x·θ₀+β₀)` parts and the kernel against hs. */
export function firstLayer(base: tf.Tensor3D, kernel: tf.Tensor3D, state: Pick<GramState, 'acc' | 'decay'>, lrOnAcc: number): tf.Tensor3D {
  const scaled = state.decay === 1 ? base : tf.mul(base, state.decay);
  if (state.acc === null) {
    return scaled as tf.Tensor3D;
  }
  const k = lrOnAcc === 1 ? kernel : tf.mul(kernel, lrOnAcc);
  return tf.sub(scaled, tf.matMul(k as tf.Tensor3D, state.acc)) as tf.Tensor3D;
}

/**
 * The inner loop with its backward pass written by hand; output gradients are pre-scaled by lr, so
 * the returned `acc` is lr·Aₛ (use `firstLayer(…, 1)`). Off any tape it is first order (FOMAML).
 * Inside an outer tape it is exact second-order MAML: its ops (matMul, mul, add, relu, step, softplus,
 * sigmoid) are each differentiated once, where tfjs is right (step's zero gradient is relu's
 * second derivative almost everywhere), and the outer backward walks these few ops rather than
 * the graph `tf.grads` would tape (its reshapes, casts and broadcast sums: 66 → 58 CPU-ms per
 * MeLU-size meta-step on tensorflow). Checked against finite differences in the meta-step tests.
 */
export function gramInnerLoop(
  model: MetaModel,
  params: NamedTensors,
  hs: tf.Tensor3D,
  labels: tf.Tensor2D,
  weights: tf.Tensor2D | null,
  spec: StackedInnerSpec,
): GramState {
  const L = layerCount(model);
  const [T, n] = hs.shape;
  const relu = model.config.activation === 'relu';
  const c = 1 - 2 * spec.lr * spec.l2;
  const names = upperNames(model);
  const base = firstLayerBase(model, params, hs);
  const kernel = gramKernel(hs, hs);
  const offset = model.config.task === 'regression' ? model.config.outputOffset : 0;
  const target = tf.reshape(offset !== 0 ? tf.sub(labels, offset) : labels, [T, n, 1]);
  // ∂(per-task mean loss)/∂out × lr per row: 2·lr/n (MSE) or lr/n (BCE), × the row weight when padded.
  const perRow = (model.config.task === 'binary' ? 1 : 2) * spec.lr;
  const rowScale: number | tf.Tensor = weights === null ? perRow / n : tf.mul(tf.reshape(weights, [T, n, 1]), perRow);
  const copies = perTaskCopies(model, params, T, names);
  let state: GramState = { upper: Object.fromEntries(names.map((name) => [name, copies[name]])), acc: null, decay: 1 };
  for (let s = 0; s < spec.steps; s++) {
    const { upper, acc, decay } = state;
    const pre: tf.Tensor[] = [firstLayer(base, kernel, state, 1)];
    const inputs: tf.Tensor[] = [relu ? tf.relu(pre[0]) : tf.softplus(pre[0])];
    let a: tf.Tensor = inputs[0];
    for (let k = 1; k < L; k++) {
      const z = tf.add(stackedLinear(a, upper[weightName(k)]), upper[biasName(k)]);
      if (k + 1 < L) {
        pre.push(z);
        a = relu ? tf.relu(z) : tf.softplus(z);
        inputs.push(a);
      } else {
        a = z;
      }
    }
    let dz: tf.Tensor = tf.mul(model.config.task === 'binary' ? tf.sub(tf.sigmoid(a), target) : tf.sub(a, target), rowScale);
    const next: NamedTensors = {};
    for (let k = L - 1; k >= 1; k--) {
      const w = upper[weightName(k)];
      const gw = stackedWeightGrad(inputs[k - 1], dz);
      const gb = tf.sum(dz, 1, true);
      const da = stackedInputGrad(dz, w);
      dz = relu ? reluGrad(da, pre[k - 1]) : tf.mul(da, tf.sigmoid(pre[k - 1]));
      next[weightName(k)] = tf.sub(c === 1 ? w : tf.mul(w, c), gw);
      const b = upper[biasName(k)];
      next[biasName(k)] = tf.sub(c === 1 ? b : tf.mul(b, c), gb);
    }
    state = { upper: next, acc: acc === null ? (dz as tf.Tensor3D) : (tf.add(c === 1 ? acc : tf.mul(acc, c), dz) as tf.Tensor3D), decay: decay * c };
  }
  return state;
}
