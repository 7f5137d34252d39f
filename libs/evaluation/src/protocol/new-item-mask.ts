import { EvalConfigError } from '../errors.js';

/** Linear-interpolation quantile of `sorted` (ascending), as numpy's default. */
export function quantileSorted(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Marks items released on or after the cut as new: the cut is `fromMs` when given, else the
 * (1 − newFraction) quantile of the known release dates (ties count as new — on ML-100K with
 * 0.2 this is 1997-01-01, the 351 items of 1997–98, as the PyTorch reference). Items with an
 * unknown date (`NaN`) are existing. Returns the mask and the cut used.
 */
export function newItemMask(releaseMs: Float64Array, newFraction: number, fromMs?: number): { mask: Uint8Array; cutoffMs: number } {
  if (!(newFraction >= 0 && newFraction < 1)) {
    throw new EvalConfigError('EVAL_CONFIG_INVALID', `newItemFraction must be in [0, 1), got ${newFraction}`);
  }
  let cutoffMs = fromMs;
  if (cutoffMs === undefined) {
    const known = Float64Array.from(releaseMs.filter((d) => Number.isFinite(d))).sort();
    cutoffMs = newFraction === 0 ? Number.POSITIVE_INFINITY : quantileSorted(known, 1 - newFraction);
  }
  const mask = new Uint8Array(releaseMs.length);
  for (let i = 0; i < releaseMs.length; i++) {
    mask[i] = Number.isFinite(releaseMs[i]) && releaseMs[i] >= cutoffMs ? 1 : 0;
  }
  return { mask, cutoffMs };
}
