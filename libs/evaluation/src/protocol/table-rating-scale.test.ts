import { describe, expect, it } from 'vitest';

import { assertValidRatingsTable } from './ratings-table.js';
import type { RatingsTable } from './ratings-table.js';
import { tableRatingScale } from './table-rating-scale.js';

const table = (ratings: number[], ratingScale?: { min: number; max: number }): RatingsTable => ({
  userCount: 1,
  itemCount: ratings.length,
  users: new Int32Array(ratings.length),
  items: Int32Array.from(ratings, (_, k) => k),
  ratings: Float32Array.from(ratings),
  itemReleaseMs: new Float64Array(ratings.length),
  ratingScale,
});

describe('tableRatingScale', () => {
  it('is the recorded scale, else the smallest and largest rating', () => {
    expect(tableRatingScale(table([2, 3, 4], { min: 0, max: 10 }))).toEqual({ min: 0, max: 10 });
    expect(tableRatingScale(table([2, 3.5, 4]))).toEqual({ min: 2, max: 4 });
  });

  it('refuses a table whose ratings do not span a scale when none is recorded', () => {
    expect(() => tableRatingScale(table([3, 3]))).toThrow(expect.objectContaining({ code: 'EVAL_DATA_INVALID' }));
  });

  it('a table with a rating outside its recorded scale is invalid', () => {
    expect(() => assertValidRatingsTable(table([1, 6], { min: 1, max: 5 }))).toThrow(/rating 6 is outside the rating scale 1..5/);
    expect(() => assertValidRatingsTable(table([1, 5], { min: 5, max: 1 }))).toThrow(/finite min < max/);
    expect(() => assertValidRatingsTable(table([1, 5], { min: 1, max: 5 }))).not.toThrow();
  });
});
