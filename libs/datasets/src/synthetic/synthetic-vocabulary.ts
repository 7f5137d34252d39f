import { MOVIELENS_AGE_BUCKETS, NON_US_REGION } from '../movielens/movielens-features.js';

/**
 * The attribute values of synthetic profiles and how often each occurs, shaped like MovieLens
 * so the same encoder settings work on both.
 */

/** Age buckets (ML-1M codes) with ML-1M-like shares. */
export const SYNTHETIC_AGE_BUCKETS = { values: MOVIELENS_AGE_BUCKETS, weights: [0.04, 0.18, 0.35, 0.2, 0.09, 0.08, 0.06] } as const;

/** Gender labels with ML-like shares. */
export const SYNTHETIC_GENDERS = { values: ['F', 'M'], weights: [0.3, 0.7] } as const;

/** Occupations (ML-100K's list); shares follow a mild Zipf. */
export const SYNTHETIC_OCCUPATIONS = [
  'student', 'other', 'educator', 'engineer', 'programmer', 'administrator', 'writer', 'librarian', 'technician',
  'executive', 'healthcare', 'artist', 'entertainment', 'scientist', 'marketing', 'retired', 'lawyer', 'none',
  'salesman', 'doctor', 'homemaker',
] as const;

/** Regions: first ZIP digit, plus a small non-US share. */
export const SYNTHETIC_REGIONS = {
  values: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', NON_US_REGION],
  weights: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.08, 0.02],
} as const;

/** Item categories; shares follow a mild Zipf (drama and comedy common, westerns rare). */
export const SYNTHETIC_CATEGORIES = [
  'drama', 'comedy', 'action', 'thriller', 'romance', 'adventure', 'crime', 'sci-fi', 'horror', 'family',
  'fantasy', 'mystery', 'animation', 'documentary', 'music', 'war', 'sports', 'western',
] as const;

/** Probability of 1, 2 or 3 categories per item. */
export const CATEGORIES_PER_ITEM_WEIGHTS = [0.45, 0.4, 0.15] as const;

/** Numeric item attributes: one informative (tracks the hidden item bias), one pure noise. */
export const SYNTHETIC_NUMERIC_ATTRIBUTES = ['critic_score', 'runtime_min'] as const;
