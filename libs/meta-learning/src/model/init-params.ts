import { paramView } from '../params/flat-params.js';
import type { FlatParams } from '../params/param-layout.js';
import { SeededRng } from '../random/seeded-rng.js';
import { LR_PREFIX, PARAM_NAMES, type MetaModel } from './meta-model.js';

/**
 * Deterministic initialisation (same seed → same bytes), as torch.nn and the PyTorch reference:
 * the categorical table N(0, 1); every other weight and bias U(±1/√fan_in); Meta-SGD rates
 * `metaSgdInitLr`. Seed defaults to `model.config.initSeed`.
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
    } else {
      const bound = 1 / Math.sqrt(fanIn.get(e.name) ?? e.shape[0] ?? 1);
      for (let i = 0; i < v.length; i++) {
        v[i] = rng.uniform(-bound, bound);
      }
    }
  }
  return flat;
}
