import { DatasetError } from '../errors.js';
import type { Dataset } from './dataset.js';

/**
 * The closed range ratings live in (e.g. 1–5 stars, 0.5–5 in half stars, 0–10). Later stages
 * clip predictions to it and derive the ranking positive threshold from it, so MAE and ranking
 * mean the same thing on data sets with different scales.
 */
export interface RatingScale {
  readonly min: number;
  readonly max: number;
}

/** MovieLens' and the synthetic generator's scale: 1–5 stars. */
export const STAR_RATING_SCALE: RatingScale = { min: 1, max: 5 };

/** The scale a data set records, or {@link STAR_RATING_SCALE} for data sets built before scales were recorded. */
export function ratingScaleOf(dataset: Pick<Dataset, 'ratingScale'>): RatingScale {
  return dataset.ratingScale ?? STAR_RATING_SCALE;
}

/**
 * Parses `"min,max"` (e.g. `"0.5,5"`, `"0,10"`).
 * @throws DatasetError `DS_INVALID_OPTION` unless both are finite numbers with min < max.
 */
export function parseRatingScale(text: string): RatingScale {
  const parts = text.split(',').map((p) => p.trim());
  const [min, max] = parts.map(Number);
  if (parts.length !== 2 || parts.some((p) => p === '') || !Number.isFinite(min) || !Number.isFinite(max) || !(min < max)) {
    throw new DatasetError('DS_INVALID_OPTION', `rating scale must be "min,max" with finite min < max, got "${text}"`);
  }
  return { min, max };
}
