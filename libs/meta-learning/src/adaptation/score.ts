import * as tf from '@tensorflow/tfjs';
import type { EncodedRows } from '@metarec/schemas';

import { MetaLearningError } from '../errors.js';
import { activate, decide, embedRows } from '../model/forward.js';
import { fieldEmbeddingTensor, lookupTableRows } from '../model/host-embeddings.js';
import { biasName, PARAM_NAMES, weightName } from '../model/meta-model.js';
import { disposeInputs, itemTableRowsOf, prepareInputs, userTableRows, writePooledCategories, type ItemRows } from '../model/model-inputs.js';
import type { NamedTensors } from '../params/flat-params.js';
import type { AdaptedUser } from './adapt.js';
import { denseLayer, matMul2d } from '../backend/mat-mul-2d.js';

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
 * Host buffers the candidates' item inputs are assembled in, reused by every `score` call (grown on
 * demand): a MeLU request's 500 × 4 × 32 floats are 256 KB, and a fresh ArrayBuffer per request is
 * external memory that triggers V8 mark-compacts every second or so at serving rates. Safe to
 * share: `score` is synchronous, and the tensor made from them is consumed and disposed before
 * `score` returns (backends that copy on upload, wasm and tensorflow, drop it at once).
 */
const scratch = { emb: new Float32Array(0), input: new Float32Array(0) };

function scratchBuffer(which: keyof typeof scratch, length: number): Float32Array {
  if (scratch[which].length < length) {
    scratch[which] = new Float32Array(Math.max(length, scratch[which].length * 2));
  }
  return scratch[which];
}

/**
 * `[count × (I·d + C + N)]` on the host: each item's field embeddings, its pooled (mean) category
 * indicators and its numeric attributes, row by row. Assembling the row here replaces a device
 * concat of the projected parts, whose wasm kernel walks rows in JS (a view object per row and part).
 */
function hostItemInputs(model: AdaptedUser['base']['model'], emb: Float32Array, items: ItemRows): { values: Float32Array; width: number } {
  const { categoryCount: C, numericCount: N } = model.featureLayout;
  const n = items.count;
  const E = emb.length / n;
  const width = E + C + N;
  const values = scratchBuffer('input', n * width).subarray(0, n * width);
  for (let r = 0; r < n; r++) {
    const at = r * width;
    for (let j = 0; j < E; j++) {
      values[at + j] = emb[r * E + j];
    }
    for (let k = 0; k < N; k++) {
      values[at + E + C + k] = items.itemNumeric[r * N + k];
    }
  }
  writePooledCategories(items.itemCategories, n, C, values, width, E);
  return { values, width };
}

/**
 * Layer 0's item-side weight for raw item inputs, and what the numeric bias adds: the projections
 * folded in, x·W = e·W[e] + (c·T)·W[c] + (v·V + b)·W[v] = [e | c | v]·[W[e]; T·W[c]; V·W[v]] + b·W[v].
 * Tiny matMuls on the weights instead of two on every candidate.
 */
function itemSideWeight(model: AdaptedUser['base']['model'], p: NamedTensors, w0Item: tf.Tensor2D, fieldWidth: number): { weight: tf.Tensor2D; bias: tf.Tensor1D | null } {
  const d = model.config.embeddingDim;
  const { categoryCount: C, numericCount: N } = model.featureLayout;
  if (C === 0 && N === 0) {
    return { weight: w0Item, bias: null };
  }
  const sizes = [fieldWidth, ...(C > 0 ? [d] : []), ...(N > 0 ? [d] : [])];
  const [w0e, ...rest] = tf.split(w0Item, sizes, 0) as tf.Tensor2D[];
  const blocks: tf.Tensor2D[] = [w0e];
  let bias: tf.Tensor1D | null = null;
  if (C > 0) {
    blocks.push(matMul2d(p[PARAM_NAMES.categoryTable] as tf.Tensor2D, rest[0]));
  }
  if (N > 0) {
    const w0v = rest[rest.length - 1];
    blocks.push(matMul2d(p[PARAM_NAMES.numericWeight] as tf.Tensor2D, w0v));
    bias = tf.reshape(matMul2d(tf.reshape(p[PARAM_NAMES.numericBias], [1, d]) as tf.Tensor2D, w0v), [-1]) as tf.Tensor1D;
  }
  return { weight: tf.concat(blocks, 0), bias };
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
  const { categoryCount: C, numericCount: N } = model.featureLayout;
  if (items.itemCategories.length !== items.count * C || items.itemNumeric.length !== items.count * N) {
    throw new MetaLearningError('ML_ROWS_INVALID', `items need ${items.count * C} category and ${items.count * N} numeric values`, { field: 'items' });
  }
  const itemEmbValues = lookupTableRows(model, user.base.flat, itemRows, overrides, scratchBuffer('emb', itemRows.length * d));
  const input = hostItemInputs(model, itemEmbValues, items);
  return read(
    tf.tidy(() => {
      const p = userParams(user);
      const [w0User, w0Item] = tf.split(p[weightName(0)], [U * d, model.inputDim - U * d], 0) as [tf.Tensor2D, tf.Tensor2D];
      const itemSide = itemSideWeight(model, p, w0Item, itemEmbValues.length / items.count);
      // The user half of layer 0 folds into its bias. It must be a fresh rank-1 tensor: tfjs-backend-wasm
      // 4.22's _FusedMatMul reads the bias rank from the *data* it shares with a reshape's source, so a
      // reshaped [1, h] → [h] bias throws "only supports rank-1 bias"; Add allocates a new [h] tensor.
      const userPart = tf.add(p[biasName(0)], tf.reshape(matMul2d(tf.tensor2d(userEmbValues, [1, U * d]), w0User), [-1]));
      const bias0 = itemSide.bias === null ? userPart : tf.add(userPart, itemSide.bias);
      const x = tf.tensor2d(input.values, [items.count, input.width]);
      return toOutput(user, fusedForward(user, p, x, itemSide.weight, bias0 as tf.Tensor1D));
    }),
  );
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
    const z = denseLayer(a, b, bias, hidden && relu ? 'relu' : 'linear');
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
