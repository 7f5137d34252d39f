import type { Interaction } from '@metarec/schemas';

/** Directed co-occurrence counts: earlier item → (later item → count). */
export type CoOccurrenceCounts = Map<string, Map<string, number>>;

/**
 * Counts, per user in event-time order (ties in input order), how often item B followed item A
 * within the user's latest `window` distinct items: each interaction with B adds one to A → B for
 * every other item A in that window, then moves B to its front. The same rule as the online
 * store's per-event co-occurrence (apply-interactions Lua), run over a batch of records, except
 * that the window starts empty at the first record given (no carry-over from before the range).
 * @param window latest distinct items a new interaction pairs with (> 0).
 */
export function countCoOccurrence(interactions: readonly Pick<Interaction, 'user_id' | 'item_id' | 'timestamp_ms'>[], window: number): CoOccurrenceCounts {
  const order = Array.from(interactions.keys()).sort((a, b) => interactions[a].timestamp_ms - interactions[b].timestamp_ms || a - b);
  const latest = new Map<string, string[]>();
  const counts: CoOccurrenceCounts = new Map();
  for (const index of order) {
    const { user_id: user, item_id: item } = interactions[index];
    const previous = latest.get(user) ?? [];
    const kept = [item];
    for (const other of previous) {
      if (other === item) {
        continue;
      }
      let followers = counts.get(other);
      if (followers === undefined) {
        followers = new Map();
        counts.set(other, followers);
      }
      followers.set(item, (followers.get(item) ?? 0) + 1);
      if (kept.length < window) {
        kept.push(other);
      }
    }
    latest.set(user, kept);
  }
  return counts;
}

/** The `k` largest entries of `followers`, by count then id (deterministic). */
export function topFollowers(followers: ReadonlyMap<string, number>, k: number): [string, number][] {
  return [...followers].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, k);
}
