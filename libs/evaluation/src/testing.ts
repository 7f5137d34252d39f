import type { RatingsTable } from './protocol/ratings-table.js';
import { SeededRng } from '@metarec/runtime';

/** Options of {@link syntheticRatingsTable}. */
export interface SyntheticTableOptions {
  readonly users?: number;
  readonly items?: number;
  /** Ratings per user, drawn uniformly in [min, max]. */
  readonly ratingsPerUser?: readonly [number, number];
  /** Latent dimension of the ground truth. */
  readonly factors?: number;
  /** Std of the rating noise. */
  readonly noise?: number;
  readonly seed?: number;
}

/**
 * A small low-rank ratings table for tests: rating = round(clip(3.5 + b_u + b_i + p_u·q_i + ε, 1, 5)),
 * release dates spread over 1990–1998, so a personalised model has something to learn.
 */
export function syntheticRatingsTable(options: SyntheticTableOptions = {}): RatingsTable {
  const { users = 120, items = 200, ratingsPerUser = [15, 60], factors = 3, noise = 0.3, seed = 1 } = options;
  const rng = new SeededRng(seed);
  const p = Float64Array.from({ length: users * factors }, () => 0.6 * rng.normal());
  const q = Float64Array.from({ length: items * factors }, () => 0.6 * rng.normal());
  const bu = Float64Array.from({ length: users }, () => 0.3 * rng.normal());
  const bi = Float64Array.from({ length: items }, () => 0.5 * rng.normal());
  const u: number[] = [];
  const it: number[] = [];
  const r: number[] = [];
  for (let a = 0; a < users; a++) {
    const n = ratingsPerUser[0] + rng.int(ratingsPerUser[1] - ratingsPerUser[0] + 1);
    const chosen = rng.permutation(items).subarray(0, Math.min(n, items));
    for (const i of chosen) {
      let dot = 0;
      for (let x = 0; x < factors; x++) {
        dot += p[a * factors + x] * q[i * factors + x];
      }
      u.push(a);
      it.push(i);
      r.push(Math.round(Math.min(5, Math.max(1, 3.5 + bu[a] + bi[i] + dot + noise * rng.normal()))));
    }
  }
  const start = Date.UTC(1990, 0, 1);
  const end = Date.UTC(1998, 11, 31);
  return {
    userCount: users,
    itemCount: items,
    users: Int32Array.from(u),
    items: Int32Array.from(it),
    ratings: Float32Array.from(r),
    itemReleaseMs: Float64Array.from({ length: items }, () => start + rng.next() * (end - start)),
  };
}
