import { describe, expect, it } from 'vitest';

import { areaUnderRoc, ndcgAtK, recallAtK } from './ranking.js';

const d = (p: number): number => 1 / Math.log2(p + 2);

describe('ndcgAtK', () => {
  it('matches a hand computation with graded gains 2^r - 1', () => {
    const ratings = [5, 3, 4, 1];
    const gains = ratings.map((r) => 2 ** r - 1); // 31, 7, 15, 1
    const scores = [0.1, 0.9, 0.5, 0.2]; // ranking: item1 (7), item2 (15), item3 (1)
    const dcg = 7 * d(0) + 15 * d(1) + 1 * d(2);
    const idcg = 31 * d(0) + 15 * d(1) + 7 * d(2);
    expect(ndcgAtK(scores, gains, 3)).toBeCloseTo(dcg / idcg, 12);
  });

  it('is 1 for the ideal order and NaN when no item has gain', () => {
    expect(ndcgAtK([3, 2, 1], [7, 3, 1], 3)).toBeCloseTo(1, 12);
    expect(ndcgAtK([3, 2, 1], [0, 0, 0], 3)).toBeNaN();
  });

  it('averages gains over tied scores (expected value of a random tie-break)', () => {
    // All tied: each of the top-2 positions gets the mean gain (1 + 0 + 0) / 3.
    const got = ndcgAtK([1, 1, 1], [1, 0, 0], 2);
    expect(got).toBeCloseTo(((1 / 3) * d(0) + (1 / 3) * d(1)) / d(0), 12);
    // Independent of input order, unlike a stable sort.
    expect(ndcgAtK([1, 1, 1], [0, 0, 1], 2)).toBeCloseTo(got, 12);
  });
});

describe('recallAtK', () => {
  it('counts relevant items in the top k over all relevant', () => {
    expect(recallAtK([0.9, 0.8, 0.1, 0.7], [1, 0, 1, 0], 2)).toBeCloseTo(0.5, 12);
    expect(recallAtK([0.9, 0.8, 0.1, 0.7], [1, 0, 1, 0], 4)).toBeCloseTo(1, 12);
  });

  it('takes the expectation over a tie straddling the cut-off', () => {
    // Top item is relevant; 3 tied items fill 1 remaining slot, 1 of them relevant: 1 + 1/3 of 2.
    expect(recallAtK([2, 1, 1, 1], [1, 1, 0, 0], 2)).toBeCloseTo((1 + 1 / 3) / 2, 12);
  });

  it('is NaN without relevant items (caller excludes and counts)', () => {
    expect(recallAtK([1, 2], [0, 0], 10)).toBeNaN();
  });
});

describe('areaUnderRoc', () => {
  it('is the share of correctly ordered positive/negative pairs', () => {
    // positives 0.9, 0.4; negatives 0.5, 0.1: pairs (0.9>0.5, 0.9>0.1, 0.4<0.5, 0.4>0.1) = 3/4
    expect(areaUnderRoc([0.9, 0.4, 0.5, 0.1], [1, 1, 0, 0])).toBeCloseTo(0.75, 12);
  });

  it('counts ties as one half', () => {
    expect(areaUnderRoc([1, 1, 1], [1, 0, 0])).toBeCloseTo(0.5, 12);
    expect(areaUnderRoc([2, 1, 1], [1, 1, 0])).toBeCloseTo((1 + 0.5) / 2, 12);
  });

  it('is NaN when one class is missing', () => {
    expect(areaUnderRoc([1, 2], [1, 1])).toBeNaN();
    expect(areaUnderRoc([1, 2], [0, 0])).toBeNaN();
  });
});
