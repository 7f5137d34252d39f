import * as tf from '@tensorflow/tfjs';
import { assertRowsMatchLayout, type EncodedRows } from '@metarec/schemas';

import { MetaLearningError } from '../errors.js';
import type { MetaModel } from './meta-model.js';

/** The item half of an encoded batch (`EncodedRows` satisfies it): what `score` needs per candidate. */
export type ItemRows = Pick<EncodedRows, 'count' | 'itemIndices' | 'itemCategories' | 'itemNumeric'>;

/**
 * An `EncodedRows` batch as the tensors the forward pass consumes. Host-side preparation keeps the
 * graph small: field offsets are added in JS (one `gather` for all fields) and multi-hot rows are
 * divided by their count here, so pooling is one plain 2-D `matMul`. Owned by the caller: `disposeInputs`.
 */
export interface ModelInputs {
  readonly count: number;
  /** int32 `[count × fields]` rows of `emb/categorical`, row-major (row r's fields contiguous). */
  readonly rowsIdx: tf.Tensor1D;
  /** `[count, categoryCount]` multi-hot / max(1, hits), or null without categories. */
  readonly categories: tf.Tensor2D | null;
  /** `[count, numericCount]`, or null without numeric attributes. */
  readonly numeric: tf.Tensor2D | null;
  /** `[count]` targets. */
  readonly labels: tf.Tensor1D;
}

function checkedIndex(model: MetaModel, field: number, value: number, row: number): number {
  if (!(value >= 0 && value < model.fieldCardinalities[field])) {
    throw new MetaLearningError('ML_ROWS_INVALID', `row ${row} field ${field} has index ${value}, outside [0, ${model.fieldCardinalities[field]})`, {
      row,
      field,
      value,
    });
  }
  return model.fieldOffsets[field] + value;
}

/** `emb/categorical` row ids of `count` rows whose user fields are `user(r, f)` and item fields `itemIndices`. */
function tableRows(model: MetaModel, count: number, user: (r: number, f: number) => number, itemIndices: Int32Array): Int32Array {
  const U = model.featureLayout.userFields.length;
  const I = model.featureLayout.itemFields.length;
  const F = U + I;
  const out = new Int32Array(count * F);
  for (let r = 0; r < count; r++) {
    for (let f = 0; f < U; f++) {
      out[r * F + f] = checkedIndex(model, f, user(r, f), r);
    }
    for (let f = 0; f < I; f++) {
      out[r * F + U + f] = checkedIndex(model, U + f, itemIndices[r * I + f], r);
    }
  }
  return out;
}

function pooledCategories(multiHot: Float32Array, count: number, width: number): Float32Array {
  const out = new Float32Array(multiHot.length);
  for (let r = 0; r < count; r++) {
    let hits = 0;
    for (let c = 0; c < width; c++) {
      hits += multiHot[r * width + c];
    }
    const scale = 1 / Math.max(1, hits);
    for (let c = 0; c < width; c++) {
      out[r * width + c] = multiHot[r * width + c] * scale;
    }
  }
  return out;
}

function itemTensors(model: MetaModel, items: ItemRows): Pick<ModelInputs, 'categories' | 'numeric'> {
  const { categoryCount: C, numericCount: N } = model.featureLayout;
  return {
    categories: C > 0 ? tf.tensor2d(pooledCategories(items.itemCategories, items.count, C), [items.count, C]) : null,
    numeric: N > 0 ? tf.tensor2d(items.itemNumeric, [items.count, N]) : null,
  };
}

/**
 * Validates `rows` against the model's feature layout and uploads them.
 * @throws RangeError (from schemas) for wrong array lengths; MetaLearningError `ML_ROWS_INVALID` for an index outside its vocabulary.
 */
export function prepareInputs(model: MetaModel, rows: EncodedRows): ModelInputs {
  assertRowsMatchLayout(rows, model.featureLayout);
  const U = model.featureLayout.userFields.length;
  const idx = tableRows(model, rows.count, (r, f) => rows.userIndices[r * U + f], rows.itemIndices);
  return {
    count: rows.count,
    rowsIdx: tf.tensor1d(idx, 'int32'),
    ...itemTensors(model, rows),
    labels: tf.tensor1d(rows.labels, 'float32'),
  };
}

/** Candidate items of one user for scoring: item-field rows only (the user block is computed once). */
export interface ItemInputs {
  readonly count: number;
  /** int32 `[count × itemFields]` rows of `emb/categorical`. */
  readonly rowsIdx: tf.Tensor1D;
  readonly categories: tf.Tensor2D | null;
  readonly numeric: tf.Tensor2D | null;
}

/** Uploads candidate items (validated). @throws MetaLearningError `ML_ROWS_INVALID`. */
export function prepareItemInputs(model: MetaModel, items: ItemRows): ItemInputs {
  const { itemFields, categoryCount, numericCount } = model.featureLayout;
  const I = itemFields.length;
  const U = model.featureLayout.userFields.length;
  const sizes: Array<[string, number, number]> = [
    ['itemIndices', items.itemIndices.length, items.count * I],
    ['itemCategories', items.itemCategories.length, items.count * categoryCount],
    ['itemNumeric', items.itemNumeric.length, items.count * numericCount],
  ];
  for (const [name, actual, want] of sizes) {
    if (actual !== want) {
      throw new MetaLearningError('ML_ROWS_INVALID', `items.${name} has length ${actual}, expected ${want}`, { field: name });
    }
  }
  const idx = new Int32Array(items.count * I);
  for (let r = 0; r < items.count; r++) {
    for (let f = 0; f < I; f++) {
      idx[r * I + f] = checkedIndex(model, U + f, items.itemIndices[r * I + f], r);
    }
  }
  return { count: items.count, rowsIdx: tf.tensor1d(idx, 'int32'), ...itemTensors(model, items) };
}

/** `emb/categorical` rows of one user's fields (validated). */
export function userTableRows(model: MetaModel, user: Int32Array): Int32Array {
  const U = model.featureLayout.userFields.length;
  if (user.length !== U) {
    throw new MetaLearningError('ML_ROWS_INVALID', `user has ${user.length} field indices, expected ${U}`, { field: 'user' });
  }
  return Int32Array.from(user, (v, f) => checkedIndex(model, f, v, 0));
}

/** Disposes every tensor of a prepared batch. */
export function disposeInputs(inputs: ModelInputs | ItemInputs): void {
  tf.dispose([inputs.rowsIdx, ...('labels' in inputs ? [inputs.labels] : []), ...(inputs.categories ? [inputs.categories] : []), ...(inputs.numeric ? [inputs.numeric] : [])]);
}

/** Rows of `a` then rows of `b` as one new batch (the caller disposes it; `a`, `b` are untouched). */
export function concatInputs(a: ModelInputs, b: ModelInputs): ModelInputs {
  const cat2 = (x: tf.Tensor2D | null, y: tf.Tensor2D | null): tf.Tensor2D | null => (x === null || y === null ? null : tf.concat([x, y], 0));
  return {
    count: a.count + b.count,
    rowsIdx: tf.concat([a.rowsIdx, b.rowsIdx]),
    categories: cat2(a.categories, b.categories),
    numeric: cat2(a.numeric, b.numeric),
    labels: tf.concat([a.labels, b.labels]),
  };
}
