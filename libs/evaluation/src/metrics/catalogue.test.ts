import { describe, expect, it } from 'vitest';

import { catalogueCoverage, meanNovelty, topK } from './catalogue.js';

describe('catalogue metrics', () => {
  it('topK orders by score, breaks ties by item index and skips excluded items', () => {
    const items = Int32Array.from([7, 3, 5, 9]);
    const exclude = new Uint8Array(10);
    exclude[9] = 1;
    expect(Array.from(topK(items, [1, 2, 2, 5], 2, exclude))).toEqual([3, 5]);
    expect(Array.from(topK(items, [1, 2, 2, 5], 2))).toEqual([9, 3]);
  });

  it('coverage is distinct recommended items over the catalogue', () => {
    expect(catalogueCoverage([Int32Array.from([1, 2]), Int32Array.from([2, 3])], 10)).toBeCloseTo(0.3, 12);
    expect(catalogueCoverage([], 0)).toBe(0);
  });

  it('novelty is the mean -log2 of add-one smoothed rater share', () => {
    const raters = [3, 0]; // 3 users: item 0 rated by all, item 1 by none
    const expected = (-Math.log2(4 / 4) - Math.log2(1 / 4)) / 2; // (0 + 2) / 2
    expect(meanNovelty([Int32Array.from([0, 1])], raters, 3)).toBeCloseTo(expected, 12);
    expect(meanNovelty([], raters, 3)).toBeNaN();
  });
});
