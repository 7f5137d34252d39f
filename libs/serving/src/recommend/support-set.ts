import type { Interaction } from '@metarec/schemas';

/** The ratings a user's model adapts on, and a key that changes whenever they do. */
export interface SupportSet {
  /** Latest rating per item, newest first, at most `maxRows`. */
  readonly ratings: readonly Interaction[];
  /** Changes when a rating is added or replaced: the user-model cache's validity key. */
  readonly stateKey: string;
}

/**
 * Picks the support rows from a user's recent events (newest first). The network regresses
 * ratings, so only `rating` events with a value become rows; views, clicks and purchases still
 * count as seen for candidate filtering. A re-rating of the same item keeps the newest value.
 */
export function supportSet(recent: readonly Interaction[], maxRows: number): SupportSet {
  const ratings: Interaction[] = [];
  const items = new Set<string>();
  for (const event of recent) {
    if (ratings.length >= maxRows) {
      break;
    }
    if (event.event_type !== 'rating' || event.value === null || items.has(event.item_id)) {
      continue;
    }
    items.add(event.item_id);
    ratings.push(event);
  }
  const newest = ratings[0];
  const stateKey = newest === undefined ? 'empty' : `${ratings.length}:${newest.timestamp_ms}:${newest.item_id}:${newest.value}`;
  return { ratings, stateKey };
}
