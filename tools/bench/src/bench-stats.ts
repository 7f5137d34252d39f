/** Summary of a list of millisecond timings. */
export interface TimingStats {
  readonly n: number;
  readonly mean_ms: number;
  readonly p50_ms: number;
  readonly p90_ms: number;
  readonly p99_ms: number;
  readonly min_ms: number;
  readonly max_ms: number;
}

/** Percentile by linear interpolation between closest ranks (numpy's default, as the PyTorch reference). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const s = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return s[lo] + (s[hi] - s[lo]) * (rank - lo);
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/** n, mean, p50/p90/p99, min, max, rounded to µs. */
export function timingStats(ms: readonly number[]): TimingStats {
  return {
    n: ms.length,
    mean_ms: round3(ms.reduce((a, b) => a + b, 0) / Math.max(1, ms.length)),
    p50_ms: round3(percentile(ms, 50)),
    p90_ms: round3(percentile(ms, 90)),
    p99_ms: round3(percentile(ms, 99)),
    min_ms: round3(Math.min(...ms)),
    max_ms: round3(Math.max(...ms)),
  };
}
