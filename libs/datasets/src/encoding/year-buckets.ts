import { DatasetError } from '../errors.js';

/**
 * Release years cut into `count` bins of `widthYears` from `firstYear`. Years before the first
 * bin fall into it and years after the last into the last (an embedding table cannot grow);
 * an unknown year is index 0. The MeLU reference uses 5-year bins from 1920 (16 bins on ML-100K).
 */
export interface YearBuckets {
  readonly firstYear: number;
  readonly widthYears: number;
  readonly count: number;
}

/** Bin width used when the buckets are derived from data, as the MeLU reference. */
export const DEFAULT_YEAR_BUCKET_WIDTH = 5;

/** Buckets covering every year in `years` with {@link DEFAULT_YEAR_BUCKET_WIDTH}-year bins aligned to multiples of the width. */
export function deriveYearBuckets(years: Iterable<number | null | undefined>, widthYears = DEFAULT_YEAR_BUCKET_WIDTH): YearBuckets {
  let min = Infinity;
  let max = -Infinity;
  for (const year of years) {
    if (year !== null && year !== undefined && Number.isFinite(year)) {
      min = Math.min(min, year);
      max = Math.max(max, year);
    }
  }
  if (min === Infinity) {
    return { firstYear: 0, widthYears, count: 1 };
  }
  const firstYear = Math.floor(min / widthYears) * widthYears;
  return { firstYear, widthYears, count: Math.floor((max - firstYear) / widthYears) + 1 };
}

/** Vocabulary index of `year`: 0 when unknown, else `1 + bin`. */
export function yearBucketIndex(buckets: YearBuckets, year: number | null | undefined): number {
  if (year === null || year === undefined || !Number.isFinite(year)) {
    return 0;
  }
  const bin = Math.floor((year - buckets.firstYear) / buckets.widthYears);
  return 1 + Math.min(Math.max(bin, 0), buckets.count - 1);
}

/** @throws DatasetError `DS_INVALID_OPTION` unless width and count are positive integers. */
export function assertYearBuckets(buckets: YearBuckets): void {
  const ok =
    Number.isInteger(buckets.firstYear) &&
    Number.isInteger(buckets.widthYears) &&
    buckets.widthYears > 0 &&
    Number.isInteger(buckets.count) &&
    buckets.count > 0;
  if (!ok) {
    throw new DatasetError('DS_INVALID_OPTION', `yearBuckets must have integer firstYear and positive integer widthYears/count, got ${JSON.stringify(buckets)}`);
  }
}
