import type { ItemProfile, UserProfile } from './records.js';

/** A user profile before `updated_at_ms` is known (it comes from the ratings). */
export type UserDraft = Omit<UserProfile, 'updated_at_ms'>;
/** See {@link UserDraft}. */
export type ItemDraft = Omit<ItemProfile, 'updated_at_ms'>;

/** Which rows rated what, when: what {@link completeProfiles} needs of the ratings. */
export interface RatingTimes {
  readonly count: number;
  readonly userRows: Int32Array;
  readonly itemRows: Int32Array;
  readonly timestampsMs: Float64Array;
}

/**
 * Completes drafts with `updated_at_ms` = the profile's first rating time (no better "known
 * since" exists in rating dumps); profiles without ratings get the data set's first rating time,
 * or 0 when there are no ratings.
 */
export function completeProfiles(users: readonly UserDraft[], items: readonly ItemDraft[], ratings: RatingTimes): { users: UserProfile[]; items: ItemProfile[] } {
  const userFirst = new Float64Array(users.length).fill(Infinity);
  const itemFirst = new Float64Array(items.length).fill(Infinity);
  let first = Infinity;
  for (let k = 0; k < ratings.count; k++) {
    const t = ratings.timestampsMs[k];
    userFirst[ratings.userRows[k]] = Math.min(userFirst[ratings.userRows[k]], t);
    itemFirst[ratings.itemRows[k]] = Math.min(itemFirst[ratings.itemRows[k]], t);
    first = Math.min(first, t);
  }
  const fallback = first === Infinity ? 0 : first;
  const since = (t: number): number => (t === Infinity ? fallback : t);
  return {
    users: users.map((u, row) => ({ ...u, updated_at_ms: since(userFirst[row]) })),
    items: items.map((i, row) => ({ ...i, updated_at_ms: since(itemFirst[row]) })),
  };
}
