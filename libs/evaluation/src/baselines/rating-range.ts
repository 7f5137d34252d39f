/** Min, max and mean of the training ratings; predictions of the baselines are clipped to [min, max]. */
export interface RatingRange {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

/** Computes the {@link RatingRange} of `ratings` (NaN mean when empty). */
export function ratingRange(ratings: Float32Array): RatingRange {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const r of ratings) {
    min = Math.min(min, r);
    max = Math.max(max, r);
    sum += r;
  }
  return { min, max, mean: ratings.length === 0 ? Number.NaN : sum / ratings.length };
}

/** Clips `value` into the range. */
export function clipRating(range: RatingRange, value: number): number {
  return Math.min(range.max, Math.max(range.min, value));
}
