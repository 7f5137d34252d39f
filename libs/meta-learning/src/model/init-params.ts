import { paramView } from '../params/flat-params.js';
import type { FlatParams } from '../params/param-layout.js';
import { SeededRng } from '@metarec/runtime';
import { LR_PREFIX, PARAM_NAMES, type MetaModel } from './meta-model.js';

/**
 * Deterministic initialisation (same seed → same bytes), as torch.nn and the PyTorch reference:
 * the categorical table N(0, 1) except each field's unknown row (index 0, at `fieldOffsets[f]`),
 * which starts at zero; every other weight and bias U(±1/√fan_in); Meta-SGD rates
 * `metaSgdInitLr`. Seed defaults to `model.config.initSeed`.
 *
 * Why zero: index 0 is what every id outside the vocabulary encodes to (items released after
 * training, users without a profile value). Training tasks rarely or never contain it, so a random
 * unknown row would stay random and add a fixed random vector to every new item's input; at zero an
 * unknown id contributes nothing (after the first layer, exactly as if the field were absent) and
 * the row is scored from content. It still learns if training rows carry index 0 (e.g. id dropout).
 * The normals are drawn for those rows too, so every other value is the same as before the change.
 */
export function initParams(model: MetaModel, seed: number = model.config.initSeed): FlatParams {
  const rng = new SeededRng(seed);
  const flat = new Float32Array(model.layout.totalSize);
  const fanIn = new Map<string, number>();
  for (const e of model.layout.entries) {
    if (e.shape.length === 2) {
      fanIn.set(e.name, e.shape[0]);
      fanIn.set(e.name.replace('/w', '/b'), e.shape[0]);
    }
  }
  for (const e of model.layout.entries) {
    const v = paramView(model.layout, flat, e.name);
    if (e.name.startsWith(LR_PREFIX)) {
      v.fill(model.config.metaSgdInitLr);
    } else if (e.name === PARAM_NAMES.categoricalTable) {
      for (let i = 0; i < v.length; i++) {
        v[i] = rng.normal();
      }
      zeroUnknownRows(model, v);
    } else {
      const bound = 1 / Math.sqrt(fanIn.get(e.name) ?? e.shape[0] ?? 1);
      for (let i = 0; i < v.length; i++) {
        v[i] = rng.uniform(-bound, bound);
      }
    }
  }
  return flat;
}

/** Zeroes the unknown row (index 0) of every categorical field in the table view `table`. */
function zeroUnknownRows(model: MetaModel, table: Float32Array): void {
  const d = model.config.embeddingDim;
  for (const offset of model.fieldOffsets) {
    table.fill(0, offset * d, offset * d + d);
  }
}
