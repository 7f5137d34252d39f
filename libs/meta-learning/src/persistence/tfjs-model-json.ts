import type { io } from '@tensorflow/tfjs';

import type { ParamLayout } from '../params/param-layout.js';
import { MODEL_DIR_FILES, MODEL_DIR_FORMAT, MODEL_DIR_FORMAT_VERSION } from './model-manifest.js';

/** `model.json` → `format`: not a Keras or graph model, only named weights plus our config. */
export const TFJS_MODEL_FORMAT = 'metarec-flat-params';

/**
 * A tf.io `model.json` whose single weight group points at `weights.bin`, one entry per layout
 * entry in layout order. Any tf.io loader (tfjs-node's `tf.io.fileSystem`, `tf.io.http`) then
 * yields the named float32 weights via `tf.io.decodeWeights`; `modelTopology.metarec.config` is
 * the model config to rebuild the network with. `tf.loadLayersModel` does not apply: the
 * model is functional, not a Keras topology.
 */
export function buildTfjsModelJson(layout: ParamLayout, config: unknown): io.ModelJSON {
  return {
    format: TFJS_MODEL_FORMAT,
    generatedBy: '@metarec/meta-learning',
    convertedBy: null,
    modelTopology: { metarec: { format: MODEL_DIR_FORMAT, formatVersion: MODEL_DIR_FORMAT_VERSION, config: config ?? null } },
    weightsManifest: [
      {
        paths: [MODEL_DIR_FILES.weights],
        weights: layout.entries.map((e) => ({ name: e.name, shape: [...e.shape], dtype: 'float32' as const })),
      },
    ],
  };
}
