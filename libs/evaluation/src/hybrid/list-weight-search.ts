import { scoreList } from '@metarec/meta-learning';

import { ndcgAtK } from '../metrics/ranking.js';

/** One validation list: `features` values per item (already standardised within the list) and 0/1 relevance. */
export interface ScoredList {
  readonly features: Float64Array;
  readonly relevant: Uint8Array;
}

/** Weights tried per feature by {@link searchListWeights}. */
export const LIST_WEIGHT_GRID: readonly number[] = [0, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3, 5];

/**
 * Linear list-scoring weights chosen by coordinate ascent on the mean nDCG@`cutoff` of the
 * validation lists: each sweep tries every grid value for one feature at a time, the others held,
 * and keeps the best. The metric itself is the objective because the smooth surrogates we measured
 * (pairwise BPR/AUC and listwise softmax fits of the same features) order the bulk of the list and
 * lost 2–7 points of nDCG@10 against the best single feature on ML-100K validation users.
 * Features are standardised per list, so one grid fits every feature; `start` is the first guess.
 */
export function searchListWeights(lists: readonly ScoredList[], features: number, start: readonly number[], cutoff = 10, sweeps = 3): { weights: Float64Array; ndcg: number } {
  const w = Float64Array.from(start);
  let best = meanNdcg(lists, features, w, cutoff);
  for (let s = 0; s < sweeps; s++) {
    let improved = false;
    for (let f = 0; f < features; f++) {
      let bestValue = w[f];
      for (const v of LIST_WEIGHT_GRID) {
        w[f] = v;
        const m = meanNdcg(lists, features, w, cutoff);
        if (m > best + 1e-9) {
          best = m;
          bestValue = v;
          improved = true;
        }
      }
      w[f] = bestValue;
    }
    if (!improved) {
      break;
    }
  }
  return { weights: w, ndcg: best };
}

function meanNdcg(lists: readonly ScoredList[], features: number, w: Float64Array, cutoff: number): number {
  let sum = 0;
  let n = 0;
  for (const l of lists) {
    const scores = scoreList(l.features, features, w);
    const v = ndcgAtK(scores, l.relevant, cutoff);
    if (!Number.isNaN(v)) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? 0 : sum / n;
}
