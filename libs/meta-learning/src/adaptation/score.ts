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
  const itemEmbValues = lookupTableRows(model, user.base.flat, itemTableRowsOf(model, items), overrides);
  const side = itemSideTensors(model, items);
  try {
    return read(
      tf.tidy(() => {
        const p = userParams(user);
        const [w0User, w0Item] = tf.split(p[weightName(0)], [U * d, model.inputDim - U * d], 0) as [tf.Tensor2D, tf.Tensor2D];
        const userBias = tf.add(tf.matMul(tf.tensor2d(userEmbValues, [1, U * d]), w0User), p[biasName(0)]);
        const itemEmb = tf.tensor2d(itemEmbValues, [items.count, itemEmbValues.length / items.count]);
        const itemH = withItemSide(model, p, side, [itemEmb]);
        const z0 = tf.add(tf.matMul(itemH, w0Item), userBias) as tf.Tensor2D;
        // hidden is non-empty (resolveModelConfig), so layer 0 is always followed by an activation.
        return toOutput(user, decide(model, p, activate(model, z0), 1));
      }),
    );
  } finally {
    tf.dispose([...(side.categories ? [side.categories] : []), ...(side.numeric ? [side.numeric] : [])]);
  }
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
