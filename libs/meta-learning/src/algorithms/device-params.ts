import type * as tf from '@tensorflow/tfjs';

import { LR_PREFIX, PARAM_NAMES, type MetaModel } from '../model/meta-model.js';
import type { NamedTensors } from '../params/flat-params.js';

/** Zips parameter names with the tensors a gradient call returned in the same order. */
export function named(names: readonly string[], tensors: readonly tf.Tensor[]): NamedTensors {
  const out: NamedTensors = {};
  names.forEach((n, i) => {
    out[n] = tensors[i];
  });
  return out;
}

/** Device parameter names: the layout's names but the categorical table (host-side), and but `lr/*` unless `withLr`. */
export function deviceNames(model: MetaModel, withLr: boolean): string[] {
  return model.layout.entries.map((e) => e.name).filter((n) => n !== PARAM_NAMES.categoricalTable && (withLr || !n.startsWith(LR_PREFIX)));
}
