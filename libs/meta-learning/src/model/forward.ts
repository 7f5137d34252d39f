import * as tf from '@tensorflow/tfjs';

import { matMul2d } from '../backend/mat-mul-2d.js';
import type { NamedTensors } from '../params/flat-params.js';
import { biasName, PARAM_NAMES, weightName, type MetaModel } from './meta-model.js';
import type { ModelInputs } from './model-inputs.js';

/**
 * Pure forward pieces. Only ops whose tfjs 4.22 gradients are second-order correct appear here:
 * gather (small local tables only), reshape, concat, 2-D matMul, add, relu/softplus, square, mean.
 * No sigmoid/tanh/exp on a taped path (their gradient reuses the saved forward output, so nested
 * `tf.grads` silently drop a term), no 3-D matMul (slow path on wasm; broadcast gradients are wrong).
 * Products go through `matMul2d` (one TensorFlow MatMul on tensorflow, `tf.matMul` elsewhere).
 * MatMul's gradient uses transposed products; on wasm, `selectBackend` (backend/) installs the kernel
 * that keeps those on XNNPACK's fast path (measured: cheaper than explicit-transpose customGrad here).
 */

/** The parts of a batch the embedding stage reads. */
export type EmbeddingInputs = Pick<ModelInputs, 'count' | 'localIdx' | 'categories' | 'numeric'>;

/**
 * MLP input `[count, inputDim]`: field embeddings, pooled categories, projected numeric attributes.
 * `fieldEmb` (`[count, fields·d]`, looked up on the host) is used when given; otherwise the fields are
 * gathered from `p['emb/categorical']`, which must then be the batch's *local* table.
 */
export function embedRows(model: MetaModel, p: NamedTensors, x: EmbeddingInputs, fieldEmb?: tf.Tensor2D): tf.Tensor2D {
  const d = model.config.embeddingDim;
  const F = model.fieldOffsets.length;
  const parts: tf.Tensor2D[] = [fieldEmb ?? (tf.reshape(tf.gather(p[PARAM_NAMES.categoricalTable], x.localIdx), [x.count, F * d]) as tf.Tensor2D)];
  return withItemSide(model, p, x, parts);
}

/** Appends pooled categories and the numeric projection to `parts` and concatenates. */
export function withItemSide(model: MetaModel, p: NamedTensors, x: Pick<ModelInputs, 'categories' | 'numeric'>, parts: tf.Tensor2D[]): tf.Tensor2D {
  if (x.categories !== null) {
    parts.push(matMul2d(x.categories, p[PARAM_NAMES.categoryTable] as tf.Tensor2D));
  }
  if (x.numeric !== null) {
    parts.push(tf.add(matMul2d(x.numeric, p[PARAM_NAMES.numericWeight] as tf.Tensor2D), p[PARAM_NAMES.numericBias]));
  }
  return parts.length === 1 ? parts[0] : tf.concat(parts, 1);
}

/** The hidden activation of the config. */
export function activate(model: MetaModel, h: tf.Tensor2D): tf.Tensor2D {
  return model.config.activation === 'relu' ? tf.relu(h) : tf.softplus(h);
}

/** Number of dense layers of the decision MLP (hidden layers + output). */
export function layerCount(model: MetaModel): number {
  return model.decisionNames.length / 2;
}

/**
 * Decision MLP from `fromLayer` (0 = input) on `h`, returning `[count]` raw outputs: the rating
 * (plus `outputOffset`) for regression, the logit for binary.
 */
export function decide(model: MetaModel, p: NamedTensors, h: tf.Tensor2D, fromLayer = 0): tf.Tensor1D {
  const L = layerCount(model);
  let a = h;
  for (let k = fromLayer; k < L; k++) {
    const z = tf.add(matMul2d(a, p[weightName(k)] as tf.Tensor2D), p[biasName(k)]) as tf.Tensor2D;
    a = k + 1 < L ? activate(model, z) : z;
  }
  const out = tf.reshape(a, [a.shape[0]]) as tf.Tensor1D;
  return model.config.task === 'regression' && model.config.outputOffset !== 0 ? tf.add(out, model.config.outputOffset) : out;
}

/**
 * Mean loss of raw outputs against labels: MSE (regression) or binary cross-entropy from logits
 * written as softplus(z) − y·z, which is numerically stable and second-order safe (no sigmoid).
 */
export function rowsLoss(model: MetaModel, out: tf.Tensor1D, labels: tf.Tensor1D): tf.Scalar {
  if (model.config.task === 'regression') {
    return tf.mean(tf.square(tf.sub(out, labels)));
  }
  return tf.mean(tf.sub(tf.softplus(out), tf.mul(labels, out)));
}

/** Full forward + loss of a prepared batch (see `embedRows` for `fieldEmb`). */
export function batchLoss(model: MetaModel, p: NamedTensors, x: ModelInputs, fieldEmb?: tf.Tensor2D): tf.Scalar {
  return rowsLoss(model, decide(model, p, embedRows(model, p, x, fieldEmb)), x.labels);
}
