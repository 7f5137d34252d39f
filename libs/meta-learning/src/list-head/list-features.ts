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
  const mask = new Uint8Array(items);
  for (let k = 0; k < items; k++) {
    mask[k] = use(k) ? 1 : 0;
  }
  standardizeMasked(rows, features, mask, 1);
}

/** {@link standardizeColumns} over the rows whose `mask` entry is `want` (the serving path: no callback per row). */
export function standardizeMasked(rows: Float64Array, features: number, mask: Uint8Array, want: number): void {
  const items = rows.length / features;
  for (let f = 0; f < features; f++) {
    let n = 0;
    let mean = 0;
    for (let k = 0; k < items; k++) {
      if (mask[k] === want) {
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
      if (mask[k] === want) {
        const d = rows[k * features + f] - mean;
        varSum += d * d;
      }
    }
    const sd = Math.sqrt(varSum / n);
    for (let k = 0; k < items; k++) {
      if (mask[k] === want) {
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
  const n = isNew.length;
  const warm = features.slice();
  standardizeMasked(warm, featureCount, isNew, 0);
  const warmScores = scoreList(warm, featureCount, weights.warm);
  const c = weights.contentFeatures.length;
  const content = new Float64Array(n * c);
  for (let k = 0; k < n; k++) {
    for (let at = 0; at < c; at++) {
      content[k * c + at] = features[k * featureCount + weights.contentFeatures[at]];
    }
  }
  standardizeMasked(content, c, isNew, 1);
  const coldScores = scoreList(content, c, weights.content);
  let floor = Number.POSITIVE_INFINITY;
  for (let k = 0; k < n; k++) {
    if (isNew[k] === 0 && warmScores[k] < floor) {
      floor = warmScores[k];
    }
  }
  floor = Number.isFinite(floor) ? floor : 0;
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    out[k] = isNew[k] === 1 ? floor - 1 + coldScores[k] / (1 + Math.abs(coldScores[k])) : warmScores[k];
  }
  return out;
}
