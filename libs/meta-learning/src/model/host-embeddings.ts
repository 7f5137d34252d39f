import * as tf from '@tensorflow/tfjs';

import { layoutEntry, type FlatParams } from '../params/param-layout.js';
import { PARAM_NAMES, type MetaModel } from './meta-model.js';

/** Row overrides of `emb/categorical` (whole-model adaptation): global row → `embeddingDim` values. */
export type TableRowOverrides = ReadonlyMap<number, Float32Array>;

/**
 * Copies `emb/categorical` rows out of the flat parameters on the host: `[rows.length × d]`.
 * This is the lookup itself (no device gather); overrides win over the base table. With `into`
 * (at least `rows.length × d` long) the rows are written there and a view of it is returned.
 */
export function lookupTableRows(model: MetaModel, params: FlatParams, rows: Int32Array, overrides?: TableRowOverrides, into?: Float32Array): Float32Array {
  const d = model.config.embeddingDim;
  const base = layoutEntry(model.layout, PARAM_NAMES.categoricalTable).offset;
  const out = into === undefined ? new Float32Array(rows.length * d) : into.subarray(0, rows.length * d);
  for (let k = 0; k < rows.length; k++) {
    const o = overrides?.get(rows[k]);
    // An element loop, not set(subarray): a view object per row was ~80 KB of garbage per 500-item request.
    const source = o ?? params;
    const from = o === undefined ? base + rows[k] * d : 0;
    const to = k * d;
    for (let j = 0; j < d; j++) {
      out[to + j] = source[from + j];
    }
  }
  return out;
}

/** `[count, fields × d]` field embeddings of a batch whose `tableRows` has `fields` entries per row. */
export function fieldEmbeddingTensor(model: MetaModel, params: FlatParams, tableRows: Int32Array, count: number, overrides?: TableRowOverrides): tf.Tensor2D {
  const values = lookupTableRows(model, params, tableRows, overrides);
  return tf.tensor2d(values, [count, count === 0 ? 0 : values.length / count]);
}

/** The local table `[uniqueRows.length, d]` a batch gathers from when the table itself is differentiated. */
export function localTableTensor(model: MetaModel, params: FlatParams, uniqueRows: Int32Array, overrides?: TableRowOverrides): tf.Tensor2D {
  return tf.tensor2d(lookupTableRows(model, params, uniqueRows, overrides), [uniqueRows.length, model.config.embeddingDim]);
}

/** Adds `rowGrads` (`[rows.length × d]`, scaled by `scale`) into the table block of the flat `gradient`: the gather gradient, on the host. */
export function scatterAddTableRows(model: MetaModel, gradient: Float32Array, rows: Int32Array, rowGrads: Float32Array, scale: number): void {
  const d = model.config.embeddingDim;
  const base = layoutEntry(model.layout, PARAM_NAMES.categoricalTable).offset;
  for (let k = 0; k < rows.length; k++) {
    const at = base + rows[k] * d;
    for (let j = 0; j < d; j++) {
      gradient[at + j] += scale * rowGrads[k * d + j];
    }
  }
}
