import type { RatingScale } from '@metarec/datasets';

/**
 * A rating error (MAE or RMSE) divided by the scale's range (max − min), so errors on 1–5 stars
 * and on 0–10 compare: an MAE of 1 is 0.25 on 1–5 and 0.1 on 0–10. Null stays null.
 */
export function normalizedByScale(error: number | null, scale: RatingScale): number | null {
  return error === null ? null : error / (scale.max - scale.min);
}
