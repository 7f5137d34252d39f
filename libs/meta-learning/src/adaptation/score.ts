import * as tf from '@tensorflow/tfjs';
import type { EncodedRows } from '@metarec/schemas';

import { activate, decide, embedRows, withItemSide } from '../model/forward.js';
import { fieldEmbeddingTensor, lookupTableRows } from '../model/host-embeddings.js';
import { biasName, weightName } from '../model/meta-model.js';
import { disposeInputs, itemSideTensors, itemTableRowsOf, prepareInputs, userTableRows, type ItemRows } from '../model/model-inputs.js';
import type { NamedTensors } from '../params/flat-params.js';
import type { AdaptedUser } from './adapt.js';

function userParams(user: AdaptedUser): NamedTensors {
  return { ...(user.base.tensors as NamedTensors), ...(user.overrides as NamedTensors) };
}

function toOutput(user: AdaptedUser, out: tf.Tensor1D): tf.Tensor1D {
  // No tape here, so sigmoid's gradient defect is irrelevant: binary models return probabilities.
  return user.base.model.config.task === 'binary' ? tf.sigmoid(out) : out;
}

/** Reads a result tensor outside any tidy (dataSync inside tf.tidy is slow on tfjs 4.22) and frees it. */
function read(result: tf.Tensor): Float32Array {
  const values = result.dataSync() as Float32Array;
  result.dispose();
  return values;
}

/**
 * Host buffer the candidates' item embeddings are looked up into, reused by every `score` call
 * (grown on demand): a MeLU request's 500 × 4 × 32 floats are 256 KB, and a fresh ArrayBuffer per
 * request is external memory that triggers V8 mark-compacts every second or so at serving rates.
 * Safe to share: `score` is synchronous, and the tensor made from it is consumed and disposed
 * before `score` returns (backends that copy on upload, wasm and tensorflow, drop it at once).
 */
let itemEmbScratch = new Float32Array(0);

function itemEmbBuffer(length: number): Float32Array {
  if (itemEmbScratch.length < length) {
    itemEmbScratch = new Float32Array(Math.max(length, itemEmbScratch.length * 2));
  }
  return itemEmbScratch;
}

/**
 * `score(userParams, user, items) → Float32Array`: one batched forward over all candidates, no
 * gradient tape, lookups on the host. The user's fields are embedded once: the first layer is split
 * as x·W0 = e_user·W0[user rows] + x_item·W0[item rows], so the user half is a [1 × h] bias and the
 * per-item work is one [n × item-width]·[item-width × h] matMul. Returns ratings (regression) or
 * probabilities (binary), in `items` order.
 * @throws MetaLearningError `ML_ROWS_INVALID` for a wrong-length or out-of-vocabulary input.
 */
export function score(user: AdaptedUser, userFields: Int32Array, items: ItemRows): Float32Array {
  const model = user.base.model;
  if (items.count === 0) {
    return new Float32Array(0);
  }
  const d = model.config.embeddingDim;
  const U = model.featureLayout.userFields.length;
  const overrides = user.tableRows ?? undefined;
  const userEmbValues = lookupTableRows(model, user.base.flat, userTableRows(model, userFields), overrides);
  const itemRows = itemTableRowsOf(model, items);
  const itemEmbValues = lookupTableRows(model, user.base.flat, itemRows, overrides, itemEmbBuffer(itemRows.length * d));
  const side = itemSideTensors(model, items);
  try {
    return read(
      tf.tidy(() => {
        const p = userParams(user);
        const [w0User, w0Item] = tf.split(p[weightName(0)], [U * d, model.inputDim - U * d], 0) as [tf.Tensor2D, tf.Tensor2D];
        // The user half of layer 0 folds into its bias. It must be a fresh rank-1 tensor: tfjs-backend-wasm
        // 4.22's _FusedMatMul reads the bias rank from the *data* it shares with a reshape's source, so a
        // reshaped [1, h] → [h] bias throws "only supports rank-1 bias"; Add allocates a new [h] tensor.
        const userBias = tf.add(p[biasName(0)], tf.reshape(tf.matMul(tf.tensor2d(userEmbValues, [1, U * d]), w0User), [-1]));
        const itemEmb = tf.tensor2d(itemEmbValues, [items.count, itemEmbValues.length / items.count]);
        const itemH = withItemSide(model, p, side, [itemEmb]);
        return toOutput(user, fusedForward(user, p, itemH, w0Item, userBias as tf.Tensor1D));
      }),
    );
  } finally {
    tf.dispose([...(side.categories ? [side.categories] : []), ...(side.numeric ? [side.numeric] : [])]);
  }
}

/**
 * Off-tape MLP with fused matMul+bias(+relu) kernels: one kernel per layer instead of matMul,
 * reshapes, add and relu. Layer 0 takes the split weight and the user bias.
 */
function fusedForward(user: AdaptedUser, p: NamedTensors, h: tf.Tensor2D, w0: tf.Tensor2D, bias0: tf.Tensor1D): tf.Tensor1D {
  const model = user.base.model;
  const L = model.decisionNames.length / 2;
  const relu = model.config.activation === 'relu';
  let a = h;
  for (let k = 0; k < L; k++) {
    const hidden = k + 1 < L;
    const b = k === 0 ? w0 : (p[weightName(k)] as tf.Tensor2D);
    const bias = k === 0 ? bias0 : p[biasName(k)];
    const z = tf.fused.matMul({ a, b, bias, activation: hidden && relu ? 'relu' : 'linear' }) as tf.Tensor2D;
    a = hidden && !relu ? activate(model, z) : z;
  }
  const out = tf.reshape(a, [a.shape[0]]) as tf.Tensor1D;
  return model.config.task === 'regression' && model.config.outputOffset !== 0 ? tf.add(out, model.config.outputOffset) : out;
}

/**
 * Predictions for full encoded rows (each row's own user fields), e.g. a user's query set in
 * evaluation. No tape. Ratings (regression) or probabilities (binary).
 */
export function predictRows(user: AdaptedUser, rows: EncodedRows): Float32Array {
  if (rows.count === 0) {
    return new Float32Array(0);
  }
  const model = user.base.model;
  const x = prepareInputs(model, rows);
  try {
    return read(
      tf.tidy(() => {
        const p = userParams(user);
        const e = fieldEmbeddingTensor(model, user.base.flat, x.tableRows, x.count, user.tableRows ?? undefined);
        return toOutput(user, decide(model, p, embedRows(model, p, x, e)));
      }),
    );
  } finally {
    disposeInputs(x);
  }
}
