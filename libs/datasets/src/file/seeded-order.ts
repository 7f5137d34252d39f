import { SeededRng } from '@metarec/runtime';

/**
 * First stand-in time: 2000-01-01 UTC, inside the schemas' accepted time range (1995 to now), so
 * the records still validate for Kafka and the stores.
 */
export const SEEDED_ORDER_START_MS = Date.UTC(2000, 0, 1);
/** Stand-in times are one second apart (25 M ratings stay within a year of the start). */
export const SEEDED_ORDER_STEP_MS = 1000;

/**
 * Stand-in event times for data without timestamps: rating k gets {@link SEEDED_ORDER_START_MS}
 * plus its position in a seeded random permutation times {@link SEEDED_ORDER_STEP_MS}. Every time-ordered use (a user's support before
 * their query, "latest" ratings) then sees a random order that is the same for the same seed
 * and differs between seeds; the values mean nothing as dates.
 */
export function seededOrderTimestamps(count: number, seed: number): Float64Array {
  const permutation = new SeededRng(`rating-order:${seed}`).permutation(count);
  return Float64Array.from(permutation, (position) => SEEDED_ORDER_START_MS + position * SEEDED_ORDER_STEP_MS);
}
