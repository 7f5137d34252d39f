import { solveSpdInPlace } from '../baselines/ridge-solve.js';

/** The error a rating stack is fitted for: squared (RMSE, the conditional mean) or absolute (MAE, the conditional median). */
export type BlendLoss = 'squared' | 'absolute';

/**
 * Stacking of rating predictors: y ≈ c + Σ_m w_m·ŷ_m, with a ridge that pulls the weights towards
 * the plain average (so a bucket with few validation ratings stays near it). `absolute` fits least
 * absolute deviations by iteratively reweighted least squares: on skewed star ratings the
 * conditional median, not the mean, is what minimises MAE. `predictions` holds `models` values per
 * rating. Returns [w_1..w_M, c].
 */
export function fitRatingBlend(predictions: Float64Array, targets: Float64Array, models: number, l2 = 1, loss: BlendLoss = 'squared'): Float64Array {
  let rowWeights = new Float64Array(targets.length).fill(1);
  let w = weightedLeastSquares(predictions, targets, models, l2, rowWeights);
  if (loss === 'squared') {
    return w;
  }
  for (let it = 0; it < 40; it++) {
    rowWeights = Float64Array.from(targets, (y, r) => 1 / Math.max(0.05, Math.abs(y - blendRating(w, predictions.subarray(r * models, (r + 1) * models)))));
    // Keep the ridge on the scale of an average row weight, so it regularises as in the squared fit.
    const mean = rowWeights.reduce((a, b) => a + b, 0) / Math.max(1, rowWeights.length);
    w = weightedLeastSquares(predictions, targets, models, l2 * mean, rowWeights);
  }
  return w;
}

function weightedLeastSquares(predictions: Float64Array, targets: Float64Array, models: number, l2: number, rowWeights: Float64Array): Float64Array {
  const d = models + 1;
  const a = new Float64Array(d * d);
  const b = new Float64Array(d);
  const x = new Float64Array(d);
  for (let r = 0; r < targets.length; r++) {
    for (let m = 0; m < models; m++) {
      x[m] = predictions[r * models + m];
    }
    x[models] = 1;
    const v = rowWeights[r];
    for (let f = 0; f < d; f++) {
      b[f] += v * x[f] * targets[r];
      for (let g = 0; g < d; g++) {
        a[f * d + g] += v * x[f] * x[g];
      }
    }
  }
  for (let f = 0; f < models; f++) {
    a[f * d + f] += l2;
    b[f] += l2 / models;
  }
  a[models * d + models] += 1e-6;
  solveSpdInPlace(a, b, d);
  return b;
}

/** Applies {@link fitRatingBlend}'s weights to one item's model predictions. */
export function blendRating(weights: Float64Array, predictions: ArrayLike<number>): number {
  let y = weights[weights.length - 1];
  for (let m = 0; m < predictions.length; m++) {
    y += weights[m] * predictions[m];
  }
  return y;
}
