import type { SeededRng } from '@metarec/runtime';

/** Draws indices with probability proportional to fixed non-negative weights (binary search, O(log n)). */
export class WeightedSampler {
  private readonly cumulative: Float64Array;

  constructor(weights: ArrayLike<number>) {
    this.cumulative = new Float64Array(weights.length);
    let total = 0;
    for (let k = 0; k < weights.length; k++) {
      total += weights[k];
      this.cumulative[k] = total;
    }
  }

  /** Number of outcomes. */
  get size(): number {
    return this.cumulative.length;
  }

  /** One index in [0, size). */
  draw(rng: SeededRng): number {
    const target = rng.next() * this.cumulative[this.cumulative.length - 1];
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] > target) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}

/** Zipf weights `1 / (rank + 1)^exponent` for ranks 0..n-1. */
export function zipfWeights(n: number, exponent: number): Float64Array {
  return Float64Array.from({ length: n }, (_, rank) => 1 / Math.pow(rank + 1, exponent));
}
