import { SeededRng } from '@metarec/runtime';

/**
 * Stand-in event times for data without timestamps: rating k gets the position of k in a seeded
 * random permutation, in ms from the epoch. Every time-ordered use (a user's support before
 * their query, "latest" ratings) then sees a random order that is the same for the same seed
 * and differs between seeds; the values mean nothing as dates.
 */
export function seededOrderTimestamps(count: number, seed: number): Float64Array {
  const permutation = new SeededRng(`rating-order:${seed}`).permutation(count);
  return Float64Array.from(permutation);
}
