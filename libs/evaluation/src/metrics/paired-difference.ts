/** Mean over users of a per-user difference, and its standard error across users. */
export interface PairedDifference {
  readonly mean: number;
  readonly se: number;
}

/**
 * Mean over users of the per-user difference of mean errors (`a` − `b`, negative: `a` is better)
 * and its standard error across users (ratings of one user are not independent, users are).
 * `a[u]` and `b[u]` are the same user's errors on the same ratings.
 */
export function pairedDifference(a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[]): PairedDifference {
  const diffs = a.map((user, u) => {
    let sum = 0;
    for (let r = 0; r < user.length; r++) {
      sum += user[r] - b[u][r];
    }
    return sum / Math.max(1, user.length);
  });
  const mean = diffs.reduce((s, d) => s + d, 0) / Math.max(1, diffs.length);
  const variance = diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / Math.max(1, diffs.length - 1);
  return { mean, se: Math.sqrt(variance / Math.max(1, diffs.length)) };
}
