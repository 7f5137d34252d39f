/**
 * Support-size buckets: a list or rating blend's weights are learned per bucket, because how much a user's own
 * ratings should count against the prior (popularity, the bias model) depends on how many there are.
 * Bucket b covers sizes [SUPPORT_BUCKET_STARTS[b], SUPPORT_BUCKET_STARTS[b + 1]).
 */
export const SUPPORT_BUCKET_STARTS: readonly number[] = [0, 1, 2, 4, 8, 16, 32];

/** Index of the bucket holding `size`. */
export function supportBucket(size: number): number {
  let b = 0;
  while (b + 1 < SUPPORT_BUCKET_STARTS.length && size >= SUPPORT_BUCKET_STARTS[b + 1]) {
    b++;
  }
  return b;
}

/** Inclusive size range of bucket `b` (the last is open: up to `cap`). */
export function bucketRange(b: number, cap: number): { lo: number; hi: number } {
  const lo = SUPPORT_BUCKET_STARTS[b];
  const next = SUPPORT_BUCKET_STARTS[b + 1];
  return { lo, hi: next === undefined ? cap : Math.min(cap, next - 1) };
}
