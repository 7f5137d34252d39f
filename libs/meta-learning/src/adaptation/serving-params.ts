import * as tf from '@tensorflow/tfjs';

import type { MetaModel } from '../model/meta-model.js';
import { unflattenToTensors, type NamedTensors } from '../params/flat-params.js';
import type { FlatParams } from '../params/param-layout.js';

/**
 * Meta-learned parameters uploaded once as tensors for the request path (tables are never
 * re-materialised per request). Whoever loads them calls `dispose()` when the model is swapped out.
 */
export interface LoadedParams {
  readonly model: MetaModel;
  readonly tensors: Readonly<NamedTensors>;
  dispose(): void;
}

/** Uploads `params` (validated against the model layout). @throws MetaLearningError `ML_SIZE_MISMATCH`. */
export function loadParams(model: MetaModel, params: FlatParams): LoadedParams {
  const tensors = unflattenToTensors(model.layout, params);
  Object.values(tensors).forEach((t) => tf.keep(t));
  let disposed = false;
  return {
    model,
    tensors,
    dispose(): void {
      if (!disposed) {
        disposed = true;
        tf.dispose(Object.values(tensors));
      }
    },
  };
}
