import type { SeededRng } from '@metarec/runtime';

/**
 * Draws up to `count` distinct items of `pool` with `rated[item] === 0`, uniformly without
 * replacement (partial Fisher–Yates over the unrated part of the pool). Returns fewer when
 * fewer are unrated.
 */
export function sampleNegatives(pool: Int32Array, rated: Uint8Array, count: number, rng: SeededRng): Int32Array {
  const candidates: number[] = [];
  for (const item of pool) {
    if (rated[item] === 0) {
      candidates.push(item);
    }
  }
  const take = Math.min(count, candidates.length);
  for (let k = 0; k < take; k++) {
    const j = k + rng.int(candidates.length - k);
    const tmp = candidates[k];
    candidates[k] = candidates[j];
    candidates[j] = tmp;
  }
  return Int32Array.from(candidates.slice(0, take));
}
