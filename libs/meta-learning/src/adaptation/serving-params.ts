import * as tf from '@tensorflow/tfjs';

import { deviceParams } from '../algorithms/meta-step.js';
import type { MetaModel } from '../model/meta-model.js';
import type { NamedTensors } from '../params/flat-params.js';
import { assertFlatSize, type FlatParams } from '../params/param-layout.js';

/**
 * Meta-learned parameters ready for the request path: every tensor except the categorical table is
 * uploaded once; the table stays in `flat` and is read row by row on the host (a typed-array copy per
 * lookup; the table is never re-materialised or gathered on device). Whoever loads them calls
 * `dispose()` when the model is swapped out.
 */
export interface LoadedParams {
  readonly model: MetaModel;
  /** The flat parameters (a private copy). */
  readonly flat: FlatParams;
  /** Device tensors of every entry except `emb/categorical`. */
  readonly tensors: Readonly<NamedTensors>;
  dispose(): void;
}

/** Uploads `params` (validated against the model layout, copied). @throws MetaLearningError `ML_SIZE_MISMATCH`. */
export function loadParams(model: MetaModel, params: FlatParams): LoadedParams {
  assertFlatSize(model.layout, params);
  const flat = params.slice();
  const tensors = deviceParams(model, flat);
  Object.values(tensors).forEach((t) => tf.keep(t));
  let disposed = false;
  return {
    model,
    flat,
    tensors,
    dispose(): void {
      if (!disposed) {
        disposed = true;
        tf.dispose(Object.values(tensors));
      }
    },
  };
}
