import * as tf from '@tensorflow/tfjs';
import { assertRowsMatchLayout, type EncodedRows } from '@metarec/schemas';

import { MetaLearningError } from '../errors.js';
import type { MetaModel } from './meta-model.js';

/** The item half of an encoded batch (`EncodedRows` satisfies it): what `score` needs per candidate. */
export type ItemRows = Pick<EncodedRows, 'count' | 'itemIndices' | 'itemCategories' | 'itemNumeric'>;

/**
 * An `EncodedRows` batch ready for the forward pass. Categorical lookups never touch the full
 * `emb/categorical` table on device: `tableRows` are resolved on the host (a typed-array copy is far
 * cheaper than GatherV2 and its UnsortedSegmentSum gradient on wasm), and when a table must be
 * differentiated inside the graph (whole-model adaptation) the forward gathers from a small *local*
 * table of `uniqueRows` with `localIdx`. Owned by the caller: `disposeInputs`.
 */
export interface ModelInputs {
  readonly count: number;
  /** Global `emb/categorical` row of every (row, field), `[count × fields]` row-major. */
  readonly tableRows: Int32Array;
  /** Distinct rows of the local table this batch indexes (see `localIdx`). */
  readonly uniqueRows: Int32Array;
  /** int32 `[count × fields]` indices into the local table of `uniqueRows`. */
  readonly localIdx: tf.Tensor1D;
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

/** Global table rows of full encoded rows, validated. */
export function tableRowsOf(model: MetaModel, rows: Pick<EncodedRows, 'count' | 'userIndices' | 'itemIndices'>): Int32Array {
  const U = model.featureLayout.userFields.length;
  const I = model.featureLayout.itemFields.length;
  const F = U + I;
  const out = new Int32Array(rows.count * F);
  for (let r = 0; r < rows.count; r++) {
    for (let f = 0; f < U; f++) {
      out[r * F + f] = checkedIndex(model, f, rows.userIndices[r * U + f], r);
    }
    for (let f = 0; f < I; f++) {
      out[r * F + U + f] = checkedIndex(model, U + f, rows.itemIndices[r * I + f], r);
    }
  }
  return out;
}

/** Global table rows of candidate items' fields only, `[count × itemFields]`, validated. */
export function itemTableRowsOf(model: MetaModel, items: ItemRows): Int32Array {
  const U = model.featureLayout.userFields.length;
  const I = model.featureLayout.itemFields.length;
  const out = new Int32Array(items.count * I);
  for (let r = 0; r < items.count; r++) {
    for (let f = 0; f < I; f++) {
      out[r * I + f] = checkedIndex(model, U + f, items.itemIndices[r * I + f], r);
    }
  }
  return out;
}

/** Global table rows of one user's fields, validated. */
export function userTableRows(model: MetaModel, user: Int32Array): Int32Array {
  const U = model.featureLayout.userFields.length;
  if (user.length !== U) {
    throw new MetaLearningError('ML_ROWS_INVALID', `user has ${user.length} field indices, expected ${U}`, { field: 'user' });
  }
  return Int32Array.from(user, (v, f) => checkedIndex(model, f, v, 0));
}

function pooledCategories(multiHot: Float32Array, count: number, width: number): Float32Array {
  const out = new Float32Array(multiHot.length);
  writePooledCategories(multiHot, count, width, out, width, 0);
  return out;
}

/**
 * Mean pooling of multi-hot category rows (each row divided by its number of categories, at least
 * 1), written into `out` at `offset + r·stride` for row r: the pooled block of a wider input row.
 */
export function writePooledCategories(multiHot: Float32Array, count: number, width: number, out: Float32Array, stride: number, offset: number): void {
  for (let r = 0; r < count; r++) {
    let hits = 0;
    for (let c = 0; c < width; c++) {
      hits += multiHot[r * width + c];
    }
    const scale = 1 / Math.max(1, hits);
    for (let c = 0; c < width; c++) {
      out[offset + r * stride + c] = multiHot[r * width + c] * scale;
    }
  }
}

/** Category and numeric tensors of item rows (validated lengths). */
export function itemSideTensors(model: MetaModel, items: ItemRows): Pick<ModelInputs, 'categories' | 'numeric'> {
  const { categoryCount: C, numericCount: N } = model.featureLayout;
  if (items.itemCategories.length !== items.count * C || items.itemNumeric.length !== items.count * N) {
    throw new MetaLearningError('ML_ROWS_INVALID', `items need ${items.count * C} category and ${items.count * N} numeric values`, { field: 'items' });
  }
  return {
    categories: C > 0 ? tf.tensor2d(pooledCategories(items.itemCategories, items.count, C), [items.count, C]) : null,
    numeric: N > 0 ? tf.tensor2d(items.itemNumeric, [items.count, N]) : null,
  };
}

/** Sorted distinct rows of `rows` and each entry's index among them. */
export function localize(rows: Int32Array, uniqueRows?: Int32Array): { uniqueRows: Int32Array; localIdx: Int32Array } {
  const unique = uniqueRows ?? Int32Array.from(new Set(rows)).sort();
  const pos = new Map<number, number>();
  unique.forEach((r, i) => pos.set(r, i));
  return { uniqueRows: unique, localIdx: Int32Array.from(rows, (r) => pos.get(r) ?? -1) };
}

/**
 * Validates `rows` and uploads them. `uniqueRows` lets several batches (a task's support and query)
 * index one shared local table; it must contain every row of this batch.
 * @throws RangeError (from schemas) for wrong array lengths; MetaLearningError `ML_ROWS_INVALID` for an index outside its vocabulary.
 */
export function prepareInputs(model: MetaModel, rows: EncodedRows, uniqueRows?: Int32Array): ModelInputs {
  assertRowsMatchLayout(rows, model.featureLayout);
  const tableRows = tableRowsOf(model, rows);
  const local = localize(tableRows, uniqueRows);
  return {
    count: rows.count,
    tableRows,
    uniqueRows: local.uniqueRows,
    localIdx: tf.tensor1d(local.localIdx, 'int32'),
    ...itemSideTensors(model, rows),
    labels: tf.tensor1d(rows.labels, 'float32'),
  };
}

/** A task's support and query over one local table (the union of their rows). */
export function prepareTaskInputs(model: MetaModel, support: EncodedRows, query: EncodedRows): { s: ModelInputs; q: ModelInputs } {
  const rows = new Set<number>([...tableRowsOf(model, support), ...tableRowsOf(model, query)]);
  const unique = Int32Array.from(rows).sort();
  const s = prepareInputs(model, support, unique);
  try {
    return { s, q: prepareInputs(model, query, unique) };
  } catch (e) {
    disposeInputs(s);
    throw e;
  }
}

/** Rows of `a` then rows of `b` (which must share `a`'s local table) as one new batch; the caller disposes it. */
export function concatInputs(a: ModelInputs, b: ModelInputs): ModelInputs {
  const cat2 = (x: tf.Tensor2D | null, y: tf.Tensor2D | null): tf.Tensor2D | null => (x === null || y === null ? null : tf.concat([x, y], 0));
  const tableRows = new Int32Array(a.tableRows.length + b.tableRows.length);
  tableRows.set(a.tableRows);
  tableRows.set(b.tableRows, a.tableRows.length);
  return {
    count: a.count + b.count,
    tableRows,
    uniqueRows: a.uniqueRows,
    localIdx: tf.concat([a.localIdx, b.localIdx]),
    categories: cat2(a.categories, b.categories),
    numeric: cat2(a.numeric, b.numeric),
    labels: tf.concat([a.labels, b.labels]),
  };
}

/** Disposes every tensor of a prepared batch. */
export function disposeInputs(inputs: ModelInputs): void {
  tf.dispose([inputs.localIdx, inputs.labels, ...(inputs.categories ? [inputs.categories] : []), ...(inputs.numeric ? [inputs.numeric] : [])]);
}
