import type { ItemCount } from '../features/feature-reader.js';
import type { SeenStamps } from './seen-stamps.js';

// Candidate picking writes into a pre-sized output array at an explicit end index instead of
// pushing: no growth copies, and a limit reached ends the scan (nothing is marked past it).

/** Writes the ids of `source` not yet seen into `out` from index `n` until `limit`; returns the new end. */
export function takeUnseenIds(out: string[], n: number, source: readonly string[], limit: number, seen: SeenStamps): number {
  for (let i = 0; i < source.length && n < limit; i++) {
    if (seen.add(source[i])) {
      out[n++] = source[i];
    }
  }
  return n;
}

/** {@link takeUnseenIds} over scored items (the popular list, shared and never copied). */
export function takeUnseenItems(out: string[], n: number, source: readonly ItemCount[], limit: number, seen: SeenStamps): number {
  for (let i = 0; i < source.length && n < limit; i++) {
    if (seen.add(source[i].itemId)) {
      out[n++] = source[i].itemId;
    }
  }
  return n;
}
