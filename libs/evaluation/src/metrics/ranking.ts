/**
 * Ranking metrics with ties handled by their expectation under a random tie-break
 * (McSherry & Najork, ECIR 2008): a constant predictor gets the score of a random ranking,
 * not of whatever order the items happened to arrive in. Each returns `NaN` when the metric
 * is undefined for the list (no relevant item; for AUC also no irrelevant one) — callers
 * exclude and count those lists.
 */

/** Groups of tied scores, best first: `[start, end)` positions in the returned order. */
function tieGroups(scores: ArrayLike<number>): { order: number[]; groups: Array<[number, number]> } {
  const order = Array.from({ length: scores.length }, (_, k) => k).sort((a, b) => scores[b] - scores[a]);
  const groups: Array<[number, number]> = [];
  let start = 0;
  for (let p = 1; p <= order.length; p++) {
    if (p === order.length || scores[order[p]] !== scores[order[start]]) {
      groups.push([start, p]);
      start = p;
    }
  }
  return { order, groups };
}

/** Expected gain at each of the first `k` positions of the ranking by `scores` (ties averaged). */
function expectedGains(scores: ArrayLike<number>, gains: ArrayLike<number>, k: number): Float64Array {
  const { order, groups } = tieGroups(scores);
  const out = new Float64Array(Math.min(k, order.length));
  for (const [a, b] of groups) {
    if (a >= out.length) {
      break;
    }
    let sum = 0;
    for (let p = a; p < b; p++) {
      sum += gains[order[p]];
    }
    for (let p = a; p < Math.min(b, out.length); p++) {
      out[p] = sum / (b - a);
    }
  }
  return out;
}

function dcg(gainsAtPositions: ArrayLike<number>): number {
  let sum = 0;
  for (let p = 0; p < gainsAtPositions.length; p++) {
    sum += gainsAtPositions[p] / Math.log2(p + 2);
  }
  return sum;
}

/**
 * nDCG@k of the ranking by `scores` with the given non-negative `gains` (graded, e.g.
 * 2^rating − 1, or binary 0/1), log2 discount. `NaN` if every gain is 0.
 */
export function ndcgAtK(scores: ArrayLike<number>, gains: ArrayLike<number>, k: number): number {
  const ideal = Array.from(gains).sort((a, b) => b - a).slice(0, k);
  const best = dcg(ideal);
  if (best === 0) {
    return Number.NaN;
  }
  return dcg(expectedGains(scores, gains, k)) / best;
}

/** Share of relevant items (relevant[j] = 1) ranked in the top k. `NaN` if none is relevant. */
export function recallAtK(scores: ArrayLike<number>, relevant: ArrayLike<number>, k: number): number {
  let positives = 0;
  for (let j = 0; j < relevant.length; j++) {
    positives += relevant[j] > 0 ? 1 : 0;
  }
  if (positives === 0) {
    return Number.NaN;
  }
  const binary = Array.from(relevant, (r) => (r > 0 ? 1 : 0));
  const hits = expectedGains(scores, binary, k).reduce((s, g) => s + g, 0);
  return hits / positives;
}

/**
 * Area under the ROC curve: the probability that a random relevant item outscores a random
 * irrelevant one, ties counting ½ (Mann–Whitney with mid-ranks). `NaN` without both classes.
 */
export function areaUnderRoc(scores: ArrayLike<number>, relevant: ArrayLike<number>): number {
  const { order, groups } = tieGroups(scores);
  const n = order.length;
  let positives = 0;
  let rankSum = 0;
  for (const [a, b] of groups) {
    // Ascending mid-rank (1-based) of this tie group; `order` is descending.
    const midRank = n - (a + b - 1) / 2;
    for (let p = a; p < b; p++) {
      if (relevant[order[p]] > 0) {
        positives++;
        rankSum += midRank;
      }
    }
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    return Number.NaN;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
