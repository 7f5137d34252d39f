import { layoutEntry } from '../params/param-layout.js';
import { PARAM_NAMES, type MetaModel } from './meta-model.js';

/**
 * Bytes of device tensors one adapted user holds (`adapt`'s overrides, float32): the adapted
 * entries except the categorical table, whose adapted rows (whole-model adaptation) stay on the
 * host. MeLU's decision layers: ~21 k floats ≈ 84 KB. Sizes per-user caches and heap reservations.
 */
export function adaptedTensorBytes(model: MetaModel): number {
  let floats = 0;
  for (const name of model.adaptedNames) {
    if (name !== PARAM_NAMES.categoricalTable) {
      floats += layoutEntry(model.layout, name).size;
    }
  }
  return 4 * floats;
}
