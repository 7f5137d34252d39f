import { LIST_HEAD_CONTENT_FEATURES, LIST_HEAD_FEATURES, listHeadBucket, type ListHead } from './list-head.js';
import { orderWithColdBand } from './list-features.js';

/** One list to order with a {@link ListHead}. */
export interface ListHeadRequest {
  /** Head slot of each of the user's items (−1: not in the head). */
  readonly supportSlots: Int32Array;
  /** `supportSlots.length × head.categoryCount` multi-hot categories of the user's items. */
  readonly supportCategories: Float32Array;
  /** Head slot of each candidate (−1: a new item). */
  readonly candidateSlots: Int32Array;
  /** `candidateSlots.length × head.categoryCount` multi-hot categories of the candidates. */
  readonly candidateCategories: Float32Array;
  /** The network's score of each candidate for this user (prior or adapted). */
  readonly modelScores: ArrayLike<number>;
}

/** The raw (unstandardised) {@link LIST_HEAD_FEATURES} of each candidate, `LIST_HEAD_FEATURES.length` per candidate. */
export function listHeadFeatures(head: ListHead, request: ListHeadRequest): Float64Array {
  const f = LIST_HEAD_FEATURES.length;
  const n = request.candidateSlots.length;
  const c = head.categoryCount;
  const out = new Float64Array(n * f);
  const size = head.itemItemSize;
  for (let s = 0; s < request.supportSlots.length; s++) {
    const a = request.supportSlots[s];
    if (a < 0 || a >= size) {
      continue;
    }
    const row = a * size;
    for (let k = 0; k < n; k++) {
      const b = request.candidateSlots[k];
      if (b >= 0 && b < size) {
        out[k * f] += head.itemItemWeights[row + b];
      }
    }
  }
  // The user's content profile: the mean of their items' unit-length category vectors.
  const profile = new Float64Array(c);
  const supportCount = request.supportSlots.length;
  for (let s = 0; s < supportCount; s++) {
    const norm = categoryNorm(request.supportCategories, s, c);
    for (let d = 0; d < c && norm > 0; d++) {
      profile[d] += request.supportCategories[s * c + d] / norm / supportCount;
    }
  }
  const w = head.contentPopularityWeights;
  for (let k = 0; k < n; k++) {
    const slot = request.candidateSlots[k];
    const norm = categoryNorm(request.candidateCategories, k, c);
    let similarity = 0;
    let contentPopularity = w[c];
    for (let d = 0; d < c && norm > 0; d++) {
      const v = request.candidateCategories[k * c + d] / norm;
      similarity += v * profile[d];
      contentPopularity += v * w[d];
    }
    out[k * f + 1] = slot >= 0 ? head.logPopularity[slot] : 0;
    out[k * f + 2] = similarity;
    out[k * f + 3] = contentPopularity;
    out[k * f + 4] = request.modelScores[k];
  }
  return out;
}

/** List scores (higher first) of the candidates: see {@link orderWithColdBand}; the weights are the bucket's of the user's support size. */
export function listHeadScores(head: ListHead, request: ListHeadRequest): Float32Array {
  const b = listHeadBucket(head, request.supportSlots.length);
  const isNew = new Uint8Array(request.candidateSlots.length);
  for (let k = 0; k < isNew.length; k++) {
    isNew[k] = request.candidateSlots[k] < 0 ? 1 : 0;
  }
  return orderWithColdBand(listHeadFeatures(head, request), LIST_HEAD_FEATURES.length, isNew, {
    warm: head.warmWeights[b],
    contentFeatures: LIST_HEAD_CONTENT_FEATURES,
    content: head.contentWeights[b],
  });
}

function categoryNorm(categories: Float32Array, row: number, c: number): number {
  let s = 0;
  for (let d = 0; d < c; d++) {
    s += categories[row * c + d] ** 2;
  }
  return Math.sqrt(s);
}

/**
 * The head's rating of each candidate for a user who rated `supportSlots` (head slots, −1 unknown)
 * with `supportRatings` (see {@link ListHeadRating}); `modelScores` are the network's ratings.
 */
export function listHeadRatings(head: ListHead, supportSlots: Int32Array, supportRatings: ArrayLike<number>, candidateSlots: Int32Array, modelScores: ArrayLike<number>): Float32Array {
  const r = head.rating;
  const offset = (slot: number): number => (slot >= 0 && slot < r.itemOffsets.length ? r.itemOffsets[slot] : 0);
  let residual = 0;
  for (let s = 0; s < supportSlots.length; s++) {
    residual += supportRatings[s] - r.mean - offset(supportSlots[s]);
  }
  const userOffset = residual / (supportSlots.length + r.damping);
  const w = r.weights[listHeadBucket(head, supportSlots.length)];
  const out = new Float32Array(candidateSlots.length);
  for (let k = 0; k < out.length; k++) {
    const bias = r.mean + offset(candidateSlots[k]) + userOffset;
    const y = w[0] * modelScores[k] + w[1] * bias + w[2];
    out[k] = y < r.min ? r.min : y > r.max ? r.max : y;
  }
  return out;
}
