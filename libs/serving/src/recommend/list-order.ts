import { listHeadRatings, listHeadScores } from '@metarec/meta-learning';
import type { ItemProfile } from '@metarec/schemas';

import type { ItemDerivedCache } from '../cache/item-derived-cache.js';
import type { ServingModel } from '../model/serving-model.js';

/** What ordering one request's candidates needs besides the network's scores. */
export interface ListOrderInput {
  readonly model: ServingModel;
  readonly epoch: number;
  readonly ids: readonly string[];
  readonly profiles: readonly (ItemProfile | null)[];
  /** The items the user rated (newest first) and their profiles. */
  readonly supportIds: readonly string[];
  readonly supportProfiles: readonly (ItemProfile | null)[];
}

/**
 * The order of the candidates: the model's list head over the network's `scores` (popularity, the
 * item-item model from the user's rated items, content), or `scores` themselves when the bundle has
 * no head. Categories come from the request path's encoded item rows (held per model and epoch).
 */
export function listOrder(items: ItemDerivedCache, input: ListOrderInput, scores: Float32Array): Float32Array {
  const listHead = input.model.listHead;
  if (listHead === null) {
    return scores;
  }
  const { head, slots } = listHead;
  const width = head.categoryCount;
  // Copies: `rows` returns views of buffers its next call reuses.
  const candidateCategories = items.rows(input.model, input.epoch, input.ids, input.profiles).itemCategories.slice(0, input.ids.length * width);
  const supportCategories =
    input.supportIds.length === 0 ? new Float32Array(0) : items.rows(input.model, input.epoch, input.supportIds, input.supportProfiles).itemCategories.slice(0, input.supportIds.length * width);
  return listHeadScores(head, {
    supportSlots: Int32Array.from(input.supportIds, (id) => slots.get(id) ?? -1),
    supportCategories,
    candidateSlots: Int32Array.from(input.ids, (id) => slots.get(id) ?? -1),
    candidateCategories,
    modelScores: scores,
  });
}

/**
 * What each candidate reports as its score: with a list head, its rating stack of the network's
 * `scores` with the damped bias model (clipped to the data's scale); else the scores themselves.
 */
export function listRatings(model: ServingModel, ids: readonly string[], supportIds: readonly string[], supportRatings: ArrayLike<number>, scores: Float32Array): Float32Array {
  const listHead = model.listHead;
  if (listHead === null) {
    return scores;
  }
  const slotsOf = (list: readonly string[]): Int32Array => {
    const out = new Int32Array(list.length);
    for (let k = 0; k < list.length; k++) {
      out[k] = listHead.slots.get(list[k]) ?? -1;
    }
    return out;
  };
  return listHeadRatings(listHead.head, slotsOf(supportIds), supportRatings, slotsOf(ids), scores);
}
