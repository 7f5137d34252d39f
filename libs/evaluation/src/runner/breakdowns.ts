import type { TaskScores } from './task-scores.js';

/** Support-size buckets for the by-activity breakdown: [min, max] inclusive. */
export const DEFAULT_ACTIVITY_BUCKETS: ReadonlyArray<readonly [number, number]> = [
  [1, 9],
  [10, 19],
  [20, 49],
  [50, Number.POSITIVE_INFINITY],
];

/** MAE (and users) of one activity bucket on one seed. */
export interface BucketResult {
  readonly bucket: string;
  readonly users: number;
  readonly mae: number | null;
}

/** Label of a bucket, e.g. `10–19` or `50+`. */
export function bucketLabel([lo, hi]: readonly [number, number]): string {
  return Number.isFinite(hi) ? `${lo}–${hi}` : `${lo}+`;
}

/** Splits task scores by support size and computes each bucket's MAE (null when empty or ranking-only). */
export function byActivity(tasks: readonly TaskScores[], predictsRatings: boolean, buckets = DEFAULT_ACTIVITY_BUCKETS): BucketResult[] {
  return buckets.map((b) => {
    const inside = tasks.filter((t) => t.supportSize >= b[0] && t.supportSize <= b[1]);
    let sum = 0;
    let n = 0;
    for (const t of inside) {
      t.absErrors.forEach((e) => {
        sum += e;
        n++;
      });
    }
    return { bucket: bucketLabel(b), users: inside.length, mae: predictsRatings && n > 0 ? sum / n : null };
  });
}
