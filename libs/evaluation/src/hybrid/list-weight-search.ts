import { scoreList, standardizeColumns, SUPPORT_BUCKET_STARTS } from '@metarec/meta-learning';

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

/** Which items of a validation list count: relevance and whether each was a query item or is new (no training interactions). */
export interface ListItemFlags {
  readonly relevant: Uint8Array;
  readonly isQuery: Uint8Array;
  readonly isCold: Uint8Array;
}

/**
 * A validation list over the `use`d columns of `features` (`featureCount` per item), standardised
 * within the list: the relevant query items and the sampled negatives (irrelevant query items are
 * left out, as in the metric). `asNew` keeps every item (content is scored as if all were new);
 * otherwise new items are left out, as they are ranked apart (`orderWithColdBand`).
 */
export function validationListOf(features: Float64Array, featureCount: number, flags: ListItemFlags, use: readonly number[], asNew: boolean): ScoredList {
  const rows: number[] = [];
  const relevant: number[] = [];
  for (let k = 0; k < flags.relevant.length; k++) {
    if ((flags.isQuery[k] === 1 && flags.relevant[k] === 0) || (!asNew && flags.isCold[k] === 1)) {
      continue;
    }
    rows.push(...use.map((g) => features[k * featureCount + g]));
    relevant.push(flags.relevant[k]);
  }
  const out = Float64Array.from(rows);
  standardizeColumns(out, use.length, () => true);
  return { features: out, relevant: Uint8Array.from(relevant) };
}

/** Fewest validation lists a support-size bucket needs for weights of its own. */
const MIN_LISTS_PER_BUCKET = 20;

/** Fits per support-size bucket; a bucket with too few lists borrows the nearest smaller bucket's fit (bucket 0 always fits). */
export function perBucket<T extends { bucket: number }>(rows: readonly T[], fit: (rows: readonly T[]) => Float64Array): Float64Array[] {
  const out: Float64Array[] = [];
  for (let b = 0; b < SUPPORT_BUCKET_STARTS.length; b++) {
    const mine = rows.filter((r) => r.bucket === b);
    out.push(mine.length >= MIN_LISTS_PER_BUCKET || b === 0 ? fit(mine) : out[b - 1]);
  }
  return out;
}

