/** One ranked item. */
export interface ScoredItem {
  readonly itemId: string;
  /** Predicted rating (regression models) or interaction probability (binary models). */
  readonly score: number;
}

/** The `k` highest scores with their ids, best first; ties keep candidate order. */
export function topK(itemIds: readonly string[], scores: Float32Array, k: number): ScoredItem[] {
  const order = Array.from({ length: itemIds.length }, (_, i) => i);
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  return order.slice(0, k).map((i) => ({ itemId: itemIds[i], score: scores[i] }));
}
