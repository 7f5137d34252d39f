import * as tf from '@tensorflow/tfjs';

import { MetaLearningError } from '../errors.js';
import { assertFlatSize, type FlatParams, type ParamLayout } from './param-layout.js';

/** Parameters as tensors keyed by layout name (the model's forward takes these). */
export type NamedTensors = Record<string, tf.Tensor>;

/**
 * One tensor per layout entry, copied from `flat` (tfjs copies typed-array input, so later
 * writes to `flat` do not alias). The caller owns and disposes the tensors.
 * @throws MetaLearningError `ML_SIZE_MISMATCH` when `flat` does not fit `layout`.
 */
export function unflattenToTensors(layout: ParamLayout, flat: FlatParams): NamedTensors {
  assertFlatSize(layout, flat);
  const out: NamedTensors = {};
  for (const e of layout.entries) {
    out[e.name] = tf.tensor(flat.subarray(e.offset, e.offset + e.size), [...e.shape], 'float32');
  }
  return out;
}

/**
 * Reads `tensors` (every layout name must be present, shapes must match) into one flat array.
 * Names missing from `tensors` become zeros when `missingAsZero` (a gradient of a parameter
 * that did not influence the loss); otherwise they throw `ML_PARAM_MISSING`.
 * Uses `dataSync` once per tensor; call it outside `tf.tidy` loops.
 */
export function flattenTensors(layout: ParamLayout, tensors: Readonly<Record<string, tf.Tensor | undefined>>, missingAsZero = false): FlatParams {
  const flat = new Float32Array(layout.totalSize);
  for (const e of layout.entries) {
    const t = tensors[e.name];
    if (t === undefined) {
      if (missingAsZero) {
        continue;
      }
      throw new MetaLearningError('ML_PARAM_MISSING', `tensor "${e.name}" is missing`, { name: e.name });
    }
    if (t.size !== e.size || t.shape.length !== e.shape.length || !t.shape.every((d, k) => d === e.shape[k])) {
      throw new MetaLearningError('ML_SIZE_MISMATCH', `tensor "${e.name}" has shape [${t.shape.join(',')}], layout says [${e.shape.join(',')}]`, {
        name: e.name,
      });
    }
    flat.set(t.dataSync() as Float32Array, e.offset);
  }
  return flat;
}

/** A zero-copy view of one parameter inside `flat` (writes go through to `flat`). */
export function paramView(layout: ParamLayout, flat: FlatParams, name: string): Float32Array {
  const e = layout.entries.find((x) => x.name === name);
  if (e === undefined) {
    throw new MetaLearningError('ML_PARAM_MISSING', `parameter "${name}" is not in the layout`, { name });
  }
  return flat.subarray(e.offset, e.offset + e.size);
}
