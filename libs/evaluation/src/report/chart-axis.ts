/** How numeric x values are placed: evenly by value, or by log10(1 + x) (0 allowed: a support of no ratings). */
export type AxisScale = 'linear' | 'log1p';

/** Where values fall on an axis: the data's `[min, max]` mapped onto pixels `[from, to]`. */
export interface AxisMapping {
  readonly scale: AxisScale;
  readonly min: number;
  readonly max: number;
  readonly from: number;
  readonly to: number;
}

function transform(scale: AxisScale, value: number): number {
  return scale === 'log1p' ? Math.log10(1 + Math.max(0, value)) : value;
}

/**
 * The pixel position of `value`. Under `log1p` equal ratios of 1 + x get equal distances
 * (0, 9 and 99 are evenly spaced), so support sizes 1, 2, 5, 10, 20, 50 spread out instead of
 * crowding as categories did (issue 18). A single-valued axis puts everything in the middle.
 */
export function axisPosition(value: number, axis: AxisMapping): number {
  const lo = transform(axis.scale, axis.min);
  const hi = transform(axis.scale, axis.max);
  if (hi === lo) {
    return (axis.from + axis.to) / 2;
  }
  return axis.from + ((transform(axis.scale, value) - lo) / (hi - lo)) * (axis.to - axis.from);
}

/** "Nice" ticks (1, 2, 2.5, 5 × 10^k steps) spanning `[lo, hi]`, about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo || 1;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) {
    ticks.push(Number(t.toFixed(10)));
  }
  return ticks;
}
