/**
 * The `k` best-scored items (ties broken by the lower item index, so lists are deterministic),
 * skipping items with `exclude[item] === 1` when given.
 */
export function topK(items: Int32Array, scores: ArrayLike<number>, k: number, exclude?: Uint8Array): Int32Array {
  const idx: number[] = [];
  for (let j = 0; j < items.length; j++) {
    if (!exclude || exclude[items[j]] === 0) {
      idx.push(j);
    }
  }
  idx.sort((a, b) => scores[b] - scores[a] || items[a] - items[b]);
  return Int32Array.from(idx.slice(0, k), (j) => items[j]);
}

/** Catalogue coverage: distinct items over all lists divided by `catalogueSize` (0 if the catalogue is empty). */
export function catalogueCoverage(lists: readonly Int32Array[], catalogueSize: number): number {
  const seen = new Set<number>();
  for (const list of lists) {
    for (const item of list) {
      seen.add(item);
    }
  }
  return catalogueSize === 0 ? 0 : seen.size / catalogueSize;
}

/**
 * Mean self-information of recommended items, −log2 p(i) bits, where p(i) is the add-one
 * smoothed share of training users who rated i: (raters_i + 1) / (userCount + 1), so items
 * never seen in training (new items) stay finite. Higher = less mainstream. `NaN` if no items.
 */
export function meanNovelty(lists: readonly Int32Array[], raters: ArrayLike<number>, userCount: number): number {
  let sum = 0;
  let n = 0;
  for (const list of lists) {
    for (const item of list) {
      sum += -Math.log2((raters[item] + 1) / (userCount + 1));
      n++;
    }
  }
  return n === 0 ? Number.NaN : sum / n;
}
