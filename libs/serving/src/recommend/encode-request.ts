import { gatherRows, type EncodedItemTable } from '@metarec/datasets';
import type { EncodedRows, Interaction, ItemProfile, UserProfile } from '@metarec/schemas';

import type { ServingModel } from '../model/serving-model.js';

/** Encodes items by id; a missing profile keeps the id (its embedding, if trained) and unknown content. */
export function encodeItems(model: ServingModel, itemIds: readonly string[], profiles: readonly (ItemProfile | null)[]): EncodedItemTable {
  return model.encodeItems(itemIds.map((item_id, k) => profiles[k] ?? { item_id }));
}

/** Encodes the user: the profile when the store has one, else only the id (unknown attributes). */
export function encodeUser(model: ServingModel, userId: string, profile: UserProfile | null): Int32Array {
  return model.encodeUser(profile ?? { user_id: userId });
}

/** Support rows: the user's ratings as (user, item, stars) rows, in the layout the model was trained on. */
export function supportRows(model: ServingModel, userId: string, profile: UserProfile | null, ratings: readonly Interaction[], profiles: readonly (ItemProfile | null)[]): EncodedRows {
  const users = model.encoder.encodeUsers([profile ?? { user_id: userId }]);
  const items = encodeItems(
    model,
    ratings.map((r) => r.item_id),
    profiles,
  );
  return gatherRows({
    users,
    items,
    userRows: new Int32Array(ratings.length),
    itemRows: Int32Array.from(ratings, (_, k) => k),
    labels: Float32Array.from(ratings, (r) => r.value ?? 0),
  });
}
