import * as tf from '@tensorflow/tfjs';

import { biasName, LR_PREFIX, weightName, type MetaModel } from '../model/meta-model.js';
import type { NamedTensors } from '../params/flat-params.js';
import type { InnerLoopSpec } from './inner-loop.js';
import { denseLayer, matMul2d } from '../backend/mat-mul-2d.js';
import { reluGrad } from '../backend/relu-grad.js';
import { onTensorflowBackend } from '../backend/tfe-backend.js';

/**
 * The serving-path inner loop for decision-layer adaptation, with the MLP's backward pass written
 * out by hand instead of recorded on a tape: about half the kernels of `tf.grads` (no saved-tensor
 * clones, no reshapes, fused matMul+bias+relu forward, plain matMuls against explicit transposes).
 * Same math as `innerLoop` on the same spec (checked against it in tests); used only off-tape, where
 * no higher-order gradient is needed.
 */
export function tapeFreeDecisionLoop(model: MetaModel, params: NamedTensors, hs: tf.Tensor2D, labels: tf.Tensor1D, spec: InnerLoopSpec): NamedTensors {
  const L = model.decisionNames.length / 2;
  const n = hs.shape[0];
  const relu = model.config.activation === 'relu';
  const fast: NamedTensors = {};
  for (const name of model.decisionNames) {
    fast[name] = params[name];
  }
  // Loop invariants, hoisted: the label column (shifted by the output offset) and hsᵀ. With a plain
  // step size the output gradient is pre-scaled by lr, so every parameter update is one subtraction.
  const target = targetColumn(model, labels, n);
  // TensorFlow multiplies transposed operands natively and sums an axis in one op; wasm's XNNPACK is
  // fast only on plain products and runs an axis-0 sum as transpose + reduce. So on tensorflow the
  // transposes stay flags and bias gradients are sums (3 ops fewer per layer and step); elsewhere
  // hsᵀ is hoisted, transposes are explicit and column sums are 1ᵀ·dz.
  const native = onTensorflowBackend();
  const hsT = native ? null : tf.transpose(hs);
  const onesRow = native ? null : (tf.ones([1, n]) as tf.Tensor2D);
  const prescale = (spec.learnedLr ? 1 : spec.lr) * (spec.stepScale ?? 1);
  for (let step = 0; step < spec.steps; step++) {
    // Forward, keeping each layer's input a_k and (softplus) pre-activation z_k.
    const inputs: tf.Tensor2D[] = [hs];
    const pre: tf.Tensor2D[] = [];
    let a = hs;
    for (let k = 0; k < L; k++) {
      const w = fast[weightName(k)] as tf.Tensor2D;
      const b = fast[biasName(k)];
      if (k + 1 < L && relu) {
        a = denseLayer(a, w, b, 'relu');
      } else {
        const z = denseLayer(a, w, b, 'linear');
        pre.push(z);
        a = k + 1 < L ? tf.softplus(z) : z;
      }
      if (k + 1 < L) {
        inputs.push(a);
      }
    }
    let dz: tf.Tensor2D = outputGradient(model, a, target, prescale / n);
    const grads: NamedTensors = {};
    for (let k = L - 1; k >= 0; k--) {
      if (hsT === null || onesRow === null) {
        grads[weightName(k)] = matMul2d(inputs[k], dz, true, false);
        grads[biasName(k)] = tf.sum(dz, 0);
      } else {
        grads[weightName(k)] = tf.matMul(k === 0 ? hsT : tf.transpose(inputs[k]), dz);
        grads[biasName(k)] = tf.reshape(tf.matMul(onesRow, dz), [-1]);
      }
      if (k > 0) {
        const w = fast[weightName(k)] as tf.Tensor2D;
        const da: tf.Tensor2D = native ? matMul2d(dz, w, false, true) : tf.matMul(dz, tf.transpose(w));
        dz = relu ? reluGrad(da, inputs[k]) : (tf.mul(da, tf.sigmoid(pre[k - 1])) as tf.Tensor2D);
      }
    }
    for (const name of model.decisionNames) {
      fast[name] = tf.sub(fast[name], scaledStep(spec, params[LR_PREFIX + name], fast[name], grads[name]));
    }
  }
  return fast;
}

/**
 * The update Δθ from a gradient `g` that is already × stepScale, and × lr for a plain step size
 * (raw for Meta-SGD rates); the L2 term gets the same factors, so the whole step is scaled as in `innerLoop`.
 */
function scaledStep(spec: InnerLoopSpec, learned: tf.Tensor | undefined, theta: tf.Tensor, g: tf.Tensor): tf.Tensor {
  const s = spec.stepScale ?? 1;
  if (spec.learnedLr && learned !== undefined) {
    return tf.mul(learned, spec.l2 > 0 ? tf.add(g, tf.mul(2 * spec.l2 * s, theta)) : g);
  }
  const lr = spec.learnedLr ? spec.lr : 1;
  const scaled = lr === 1 ? g : tf.mul(lr, g);
  return spec.l2 > 0 ? tf.add(scaled, tf.mul(2 * spec.l2 * spec.lr * s, theta)) : scaled;
}

/** Labels as `[n, 1]`, minus the regression output offset so the residual is one subtraction. */
function targetColumn(model: MetaModel, labels: tf.Tensor1D, n: number): tf.Tensor2D {
  const y = tf.reshape(labels, [n, 1]) as tf.Tensor2D;
  return model.config.task === 'regression' && model.config.outputOffset !== 0 ? tf.sub(y, model.config.outputOffset) : y;
}

/** ∂loss/∂(raw output) × `scale·n` as `[n, 1]`: 2(z − y′)·scale for MSE, (σ(z) − y)·scale for BCE. */
function outputGradient(model: MetaModel, out: tf.Tensor2D, target: tf.Tensor2D, scale: number): tf.Tensor2D {
  if (model.config.task === 'binary') {
    return tf.mul(tf.sub(tf.sigmoid(out), target), scale);
  }
  return tf.mul(tf.sub(out, target), 2 * scale);
}
