import type { ListHead } from '../list-head/list-head.js';

/** A list head for tests: three known items (a, b, c; a most popular), two categories; the item-item model says b goes with a. */
export function tinyListHead(overrides: Partial<ListHead> = {}): ListHead {
  return {
    itemIds: ['a', 'b', 'c'],
    logPopularity: Float32Array.from([3, 2, 1]),
    itemItemSize: 2,
    // row = the user's item: a → b 0.5, b → a 0.25
    itemItemWeights: Float32Array.from([0, 0.5, 0.25, 0]),
    categoryCount: 2,
    contentPopularityWeights: Float32Array.from([1, -1, 0.5]),
    bucketStarts: [0, 1],
    warmWeights: [Float32Array.from([0, 1, 0, 0, 0]), Float32Array.from([1, 0, 0, 0, 0])],
    contentWeights: [Float32Array.from([0, 1]), Float32Array.from([1, 0])],
    // Bias alone without ratings, an even blend with them.
    rating: { mean: 3, itemOffsets: Float32Array.from([0.5, 0, -0.5]), damping: 1, weights: [Float32Array.from([0, 1, 0]), Float32Array.from([0.5, 0.5, 0])], min: 1, max: 5 },
    ...overrides,
  };
}
