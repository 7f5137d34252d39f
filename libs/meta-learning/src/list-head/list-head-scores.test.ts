import { describe, expect, it } from 'vitest';

import { tinyListHead as tinyHead } from '../testing/tiny-list-head.js';
import { listHeadBucket } from './list-head.js';
import { listHeadFeatures, listHeadRatings, listHeadScores } from './list-head-scores.js';

describe('listHeadFeatures', () => {
  it('sums item-item weights from the user items, reads popularity, and scores content against the user profile', () => {
    const head = tinyHead();
    const f = listHeadFeatures(head, {
      supportSlots: Int32Array.from([0]),
      supportCategories: Float32Array.from([1, 0]),
      candidateSlots: Int32Array.from([1, 2, -1]),
      candidateCategories: Float32Array.from([1, 1, 0, 1, 1, 0]),
      modelScores: [4, 3, 2],
    });
    const row = (k: number): number[] => Array.from(f.subarray(k * 5, k * 5 + 5), (v) => Number(v.toFixed(4)));
    // b: item-item 0.5 from a; c outside the item-item vocabulary; the new item has no popularity.
    expect(row(0)).toEqual([0.5, 2, Number((1 / Math.SQRT2).toFixed(4)), Number((0.5 + 1 / Math.SQRT2 - 1 / Math.SQRT2).toFixed(4)), 4]);
    expect(row(1)).toEqual([0, 1, 0, -0.5, 3]);
    expect(row(2)).toEqual([0, 0, 1, 1.5, 2]);
  });
});

describe('listHeadScores', () => {
  it('uses the bucket of the support size: popularity for a newcomer, item-item once they have an item', () => {
    const head = tinyHead();
    const candidates = { candidateSlots: Int32Array.from([0, 1, 2]), candidateCategories: new Float32Array(6), modelScores: [0, 0, 0] };
    const cold = listHeadScores(head, { supportSlots: new Int32Array(0), supportCategories: new Float32Array(0), ...candidates });
    expect(Array.from(cold).map((v, k) => [v, k]).sort((x, y) => y[0] - x[0]).map(([, k]) => k)).toEqual([0, 1, 2]);
    const withA = listHeadScores(head, { supportSlots: Int32Array.from([0]), supportCategories: new Float32Array(2), ...candidates });
    expect(withA[1]).toBeGreaterThan(withA[0]);
    expect(withA[1]).toBeGreaterThan(withA[2]);
    expect(listHeadBucket(head, 0)).toBe(0);
    expect(listHeadBucket(head, 7)).toBe(1);
  });

  it('ranks new items below every known one, ordered among themselves by content', () => {
    const head = tinyHead();
    const scores = listHeadScores(head, {
      supportSlots: new Int32Array(0),
      supportCategories: new Float32Array(0),
      candidateSlots: Int32Array.from([-1, 2, -1]),
      // content popularity: first new item (category 1) −0.5, second (category 0) 1.5
      candidateCategories: Float32Array.from([0, 1, 0, 0, 1, 0]),
      modelScores: [9, 0, 9],
    });
    expect(scores[1]).toBeGreaterThan(scores[0]);
    expect(scores[1]).toBeGreaterThan(scores[2]);
    expect(scores[2]).toBeGreaterThan(scores[0]);
  });
});

describe('listHeadRatings', () => {
  it('is the damped bias without ratings and blends it with the network once the user has some, clipped to the scale', () => {
    const head = tinyHead();
    // No ratings: bias only, μ + b_i: a 3.5, c 2.5, a new item 3.
    expect(Array.from(listHeadRatings(head, new Int32Array(0), [], Int32Array.from([0, 2, -1]), [9, 9, 9]))).toEqual([3.5, 2.5, 3]);
    // Rated a with 5: b_u = (5 − 3 − 0.5) / (1 + 1) = 0.75; b: 0.5·4 + 0.5·(3 + 0 + 0.75) = 3.875; the network's 9 is clipped after blending.
    const r = listHeadRatings(head, Int32Array.from([0]), [5], Int32Array.from([1, 1]), [4, 9]);
    expect(r[0]).toBeCloseTo(3.875, 5);
    expect(r[1]).toBe(5);
  });
});
