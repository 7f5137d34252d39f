import type { RatingScale } from '@metarec/datasets';

/**
 * Predicted ratings clipped into [min, max] of the data's scale: no rating outside it exists,
 * so a prediction of 7 on 1–5 is scored as 5. The runner applies it once, to every method's
 * rating predictions, before the rating errors (ranking-only scores are never clipped).
 */
export function clipToScale(predictions: ArrayLike<number>, scale: RatingScale): Float32Array {
  return Float32Array.from({ length: predictions.length }, (_, k) => Math.min(scale.max, Math.max(scale.min, predictions[k])));
}
