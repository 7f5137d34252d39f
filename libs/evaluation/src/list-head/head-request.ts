import type { ListHead, ListHeadRequest } from '@metarec/meta-learning';

import type { ItemFeatureRows } from '../held-out/item-feature-rows.js';

/** Maps a split's dense item indices to a list head's slots and categories. */
export interface HeadItems {
  /** Head slot of each item index (−1: not in the head, a new item). */
  readonly slotOf: Int32Array;
  /** The items' encoded features (their multi-hot categories are the head's content). */
  readonly features: ItemFeatureRows;
}

/** {@link HeadItems} of `head` over the split items `features.itemIds`. */
export function headItems(head: ListHead, features: ItemFeatureRows): HeadItems {
  const slots = new Map(head.itemIds.map((id, s) => [id, s]));
  return { slotOf: Int32Array.from(features.itemIds, (id) => slots.get(id) ?? -1), features };
}

/** The head's request for one user's `support` item indices and candidate `items`, with the network's `modelScores` of the candidates. */
export function headRequest(at: HeadItems, support: ArrayLike<number>, items: ArrayLike<number>, modelScores: ArrayLike<number>): ListHeadRequest {
  return {
    supportSlots: Int32Array.from(support, (i) => at.slotOf[i]),
    supportCategories: categoriesOf(at.features, support),
    candidateSlots: Int32Array.from(items, (i) => at.slotOf[i]),
    candidateCategories: categoriesOf(at.features, items),
    modelScores,
  };
}

function categoriesOf(features: ItemFeatureRows, items: ArrayLike<number>): Float32Array {
  const c = features.widths.categories;
  const out = new Float32Array(items.length * c);
  for (let k = 0; k < items.length; k++) {
    out.set(features.itemCategories.subarray(items[k] * c, (items[k] + 1) * c), k * c);
  }
  return out;
}
