import * as tf from '@tensorflow/tfjs';

import { biasName, LR_PREFIX, weightName, type MetaModel } from '../model/meta-model.js';
import type { NamedTensors } from '../params/flat-params.js';
import type { InnerLoopSpec } from './inner-loop.js';

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
  const y = tf.reshape(labels, [n, 1]) as tf.Tensor2D;
  for (let step = 0; step < spec.steps; step++) {
    // Forward, keeping each layer's input a_k and (softplus) pre-activation z_k.
    const inputs: tf.Tensor2D[] = [hs];
    const pre: tf.Tensor2D[] = [];
    let a = hs;
    for (let k = 0; k < L; k++) {
      const w = fast[weightName(k)] as tf.Tensor2D;
      const b = fast[biasName(k)];
      if (k + 1 < L && relu) {
        a = tf.fused.matMul({ a, b: w, bias: b, activation: 'relu' }) as tf.Tensor2D;
      } else {
        const z = tf.fused.matMul({ a, b: w, bias: b }) as tf.Tensor2D;
        pre.push(z);
        a = k + 1 < L ? tf.softplus(z) : z;
      }
      if (k + 1 < L) {
        inputs.push(a);
      }
    }
    let dz: tf.Tensor2D = outputGradient(model, a, y, n);
    const grads: NamedTensors = {};
    for (let k = L - 1; k >= 0; k--) {
      grads[weightName(k)] = tf.matMul(tf.transpose(inputs[k]), dz);
      grads[biasName(k)] = tf.sum(dz, 0);
      if (k > 0) {
        const da = tf.matMul(dz, tf.transpose(fast[weightName(k)] as tf.Tensor2D));
        dz = tf.mul(da, relu ? tf.step(inputs[k]) : tf.sigmoid(pre[k - 1]));
      }
    }
    for (const name of model.decisionNames) {
      let g = grads[name];
      if (spec.l2 > 0) {
        g = tf.add(g, tf.mul(2 * spec.l2, fast[name]));
      }
      const learned = spec.learnedLr ? params[LR_PREFIX + name] : undefined;
      fast[name] = tf.sub(fast[name], learned !== undefined ? tf.mul(learned, g) : tf.mul(spec.lr, g));
    }
  }
  return fast;
}

/** ∂loss/∂(raw output) as `[n, 1]`: 2(ŷ − y)/n for MSE (ŷ includes `outputOffset`), (σ(z) − y)/n for BCE. */
function outputGradient(model: MetaModel, out: tf.Tensor2D, y: tf.Tensor2D, n: number): tf.Tensor2D {
  if (model.config.task === 'binary') {
    return tf.mul(tf.sub(tf.sigmoid(out), y), 1 / n);
  }
  const residual = model.config.outputOffset !== 0 ? tf.sub(tf.add(out, model.config.outputOffset), y) : tf.sub(out, y);
  return tf.mul(residual, 2 / n);
}
