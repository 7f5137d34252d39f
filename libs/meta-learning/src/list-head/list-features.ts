/** w·x per item of `rows` (`features` values per item). */
export function scoreList(rows: Float64Array, features: number, w: ArrayLike<number>): Float64Array {
  const items = rows.length / features;
  const out = new Float64Array(items);
  for (let k = 0; k < items; k++) {
    let s = 0;
    for (let f = 0; f < features; f++) {
      s += w[f] * rows[k * features + f];
    }
    out[k] = s;
  }
  return out;
}

/** Standardises each feature column over the rows selected by `use` (others untouched); a constant column becomes 0. */
export function standardizeColumns(rows: Float64Array, features: number, use: (k: number) => boolean): void {
  const items = rows.length / features;
  for (let f = 0; f < features; f++) {
    let n = 0;
    let mean = 0;
    for (let k = 0; k < items; k++) {
      if (use(k)) {
        n++;
        mean += rows[k * features + f];
      }
    }
    if (n === 0) {
      continue;
    }
    mean /= n;
    let varSum = 0;
    for (let k = 0; k < items; k++) {
      if (use(k)) {
        varSum += (rows[k * features + f] - mean) ** 2;
      }
    }
    const sd = Math.sqrt(varSum / n);
    for (let k = 0; k < items; k++) {
      if (use(k)) {
        rows[k * features + f] = sd > 1e-12 ? (rows[k * features + f] - mean) / sd : 0;
      }
    }
  }
}

/** How {@link orderWithColdBand} weighs one list. */
export interface ColdBandWeights {
  /** One weight per feature, for items with training evidence. */
  readonly warm: ArrayLike<number>;
  /** Feature indices a new item (no evidence) is ordered by: its content. */
  readonly contentFeatures: readonly number[];
  /** One weight per `contentFeatures` entry. */
  readonly content: ArrayLike<number>;
}

/**
 * Orders a list: items with training evidence by the weighted sum of their features standardised
 * within the list; new items (`isNew`) by their content features alone, squeezed into the band just
 * below the lowest of the others, so a list of new items alone is ordered by content and a mixed
 * list keeps the evidence-backed items first (validation users almost never pick a new item).
 * `features` is not modified.
 */
export function orderWithColdBand(features: Float64Array, featureCount: number, isNew: Uint8Array, weights: ColdBandWeights): Float32Array {
  const warm = features.slice();
  standardizeColumns(warm, featureCount, (k) => isNew[k] === 0);
  const warmScores = scoreList(warm, featureCount, weights.warm);
  const c = weights.contentFeatures.length;
  const content = new Float64Array(isNew.length * c);
  for (let k = 0; k < isNew.length; k++) {
    weights.contentFeatures.forEach((g, at) => (content[k * c + at] = features[k * featureCount + g]));
  }
  standardizeColumns(content, c, (k) => isNew[k] === 1);
  const coldScores = scoreList(content, c, weights.content);
  let floor = Number.POSITIVE_INFINITY;
  for (let k = 0; k < isNew.length; k++) {
    if (isNew[k] === 0) {
      floor = Math.min(floor, warmScores[k]);
    }
  }
  floor = Number.isFinite(floor) ? floor : 0;
  return Float32Array.from(isNew, (cold, k) => (cold ? floor - 1 + coldScores[k] / (1 + Math.abs(coldScores[k])) : warmScores[k]));
}
