/** One ranked item. */
export interface ScoredItem {
  readonly itemId: string;
  /**
   * Predicted rating (regression models) or interaction probability (binary models); with a list
   * head, its rating stack (the network with the damped bias model). The list is then in the head's
   * order, which weighs popularity and the user's items too, so the score need not decrease down it.
   */
  readonly score: number;
}

/**
 * The `k` highest scores with their ids, best first; ties keep candidate order. A partial
 * insertion selection, O(n·k) worst case but ~n for k ≪ n, without sorting all n candidates.
 * Each item reports its `shown` value (the model's score when `scores` is a list head's order).
 */
export function topK(itemIds: readonly string[], scores: Float32Array, k: number, shown: Float32Array = scores): ScoredItem[] {
  const n = Math.min(itemIds.length, scores.length);
  const size = Math.min(k, n);
  const best: number[] = [];
  // A NaN score (a broken model) ranks last instead of poisoning the comparisons.
  const value = (i: number): number => (Number.isNaN(scores[i]) ? -Infinity : scores[i]);
  for (let i = 0; i < n; i++) {
    const s = value(i);
    if (best.length === size && !(s > value(best[size - 1]))) {
      continue;
    }
    // Insert after every index with a score >= s: equal scores keep candidate order.
    let at = best.length === size ? size - 1 : best.length;
    while (at > 0 && value(best[at - 1]) < s) {
      at--;
    }
    if (best.length === size) {
      best.pop();
    }
    best.splice(at, 0, i);
  }
  return best.map((i) => ({ itemId: itemIds[i], score: shown[i] }));
}
