import type { RatingScale } from '@metarec/datasets';

import { EvalConfigError } from '../errors.js';
import type { RatingsTable } from './ratings-table.js';

/**
 * The rating scale of a table: its `ratingScale` when recorded, else the smallest and largest
 * rating it holds.
 * @throws EvalConfigError `EVAL_DATA_INVALID` when no scale is recorded and the ratings do not span one (empty, or all equal).
 */
export function tableRatingScale(table: Pick<RatingsTable, 'ratings' | 'ratingScale'>): RatingScale {
  if (table.ratingScale !== undefined) {
    return table.ratingScale;
  }
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const r of table.ratings) {
    min = Math.min(min, r);
    max = Math.max(max, r);
  }
  if (!(min < max)) {
    throw new EvalConfigError('EVAL_DATA_INVALID', `RatingsTable has no ratingScale and its ${table.ratings.length} ratings do not span one (min ${min}, max ${max}); record the scale`);
  }
  return { min, max };
}
