import type { RatingScale } from '@metarec/datasets';

import { EvalConfigError } from '../errors.js';

/**
 * Explicit ratings in columnar form: row `r` is (users[r], items[r], ratings[r]). Users and
 * items are dense indices `0..userCount-1`, `0..itemCount-1`. The protocol works on these
 * typed arrays only, so splitting 100K ratings takes milliseconds.
 */
export interface RatingsTable {
  readonly userCount: number;
  readonly itemCount: number;
  readonly users: Int32Array;
  readonly items: Int32Array;
  /** Ratings, e.g. 1–5 stars. */
  readonly ratings: Float32Array;
  /** Per item: release date in ms since epoch, `NaN` when unknown (an unknown date counts as existing). */
  readonly itemReleaseMs: Float64Array;
  /**
   * The scale the ratings live in (the data set's): predictions are clipped to it, MAE/RMSE are
   * also reported divided by its range, and the ranking positive threshold is derived from it.
   * Absent: the smallest and largest rating of the table ({@link tableRatingScale}).
   */
  readonly ratingScale?: RatingScale;
}

/** Checks lengths and index ranges; throws `EvalConfigError` (`EVAL_DATA_INVALID`) naming the column. */
export function assertValidRatingsTable(table: RatingsTable): void {
  const n = table.users.length;
  if (table.items.length !== n || table.ratings.length !== n) {
    throw new EvalConfigError('EVAL_DATA_INVALID', `RatingsTable columns differ in length: users ${n}, items ${table.items.length}, ratings ${table.ratings.length}`);
  }
  if (table.itemReleaseMs.length !== table.itemCount) {
    throw new EvalConfigError('EVAL_DATA_INVALID', `RatingsTable.itemReleaseMs has ${table.itemReleaseMs.length} entries, expected itemCount ${table.itemCount}`);
  }
  const scale = table.ratingScale;
  if (scale !== undefined && !(Number.isFinite(scale.min) && Number.isFinite(scale.max) && scale.min < scale.max)) {
    throw new EvalConfigError('EVAL_DATA_INVALID', `RatingsTable.ratingScale must have finite min < max, got ${scale.min}..${scale.max}`);
  }
  for (let r = 0; r < n; r++) {
    const u = table.users[r];
    const i = table.items[r];
    if (u < 0 || u >= table.userCount || i < 0 || i >= table.itemCount || !Number.isFinite(table.ratings[r])) {
      throw new EvalConfigError('EVAL_DATA_INVALID', `RatingsTable row ${r} is out of range: user ${u}, item ${i}, rating ${table.ratings[r]}`);
    }
    if (scale !== undefined && (table.ratings[r] < scale.min || table.ratings[r] > scale.max)) {
      throw new EvalConfigError('EVAL_DATA_INVALID', `RatingsTable row ${r}: rating ${table.ratings[r]} is outside the rating scale ${scale.min}..${scale.max}`);
    }
  }
}

/** Row indices grouped by user: rows of user u are `order[offsets[u] .. offsets[u+1])`, in row order. */
export interface UserIndex {
  readonly offsets: Int32Array;
  readonly order: Int32Array;
}

/** Groups the rows of `table` by user with a counting sort (O(rows)). */
export function indexByUser(table: RatingsTable): UserIndex {
  const offsets = new Int32Array(table.userCount + 1);
  for (let r = 0; r < table.users.length; r++) {
    offsets[table.users[r] + 1]++;
  }
  for (let u = 0; u < table.userCount; u++) {
    offsets[u + 1] += offsets[u];
  }
  const cursor = offsets.slice(0, table.userCount);
  const order = new Int32Array(table.users.length);
  for (let r = 0; r < table.users.length; r++) {
    order[cursor[table.users[r]]++] = r;
  }
  return { offsets, order };
}
