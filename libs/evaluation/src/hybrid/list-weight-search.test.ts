import { describe, expect, it } from 'vitest';

import { SeededRng } from '@metarec/runtime';
import { standardizeColumns } from '@metarec/meta-learning';

import { searchListWeights } from './list-weight-search.js';

describe('searchListWeights', () => {
  it('puts weight on the informative feature and never ends below its start', () => {
    const rng = new SeededRng(5);
    const lists = Array.from({ length: 60 }, () => {
      const n = 40;
      const relevant = Uint8Array.from({ length: n }, (_, k) => (k < 4 ? 1 : 0));
      // feature 0 = relevance + noise, feature 1 = noise only
      const features = Float64Array.from({ length: n * 2 }, (_, j) => (j % 2 === 0 ? relevant[j >> 1] + 0.8 * rng.normal() : rng.normal()));
      standardizeColumns(features, 2, () => true);
      return { features, relevant };
    });
    const start = searchListWeights(lists, 2, [0, 1], 10, 0);
    const found = searchListWeights(lists, 2, [0, 1]);
    expect(found.ndcg).toBeGreaterThan(start.ndcg + 0.1);
    expect(found.weights[0]).toBeGreaterThan(found.weights[1]);
  });
});

describe('standardizeColumns', () => {
  it('centres and scales the selected rows per column and zeroes a constant column', () => {
    const rows = Float64Array.from([1, 7, 3, 7, 5, 7, 100, 100]);
    standardizeColumns(rows, 2, (k) => k < 3);
    const col0 = [rows[0], rows[2], rows[4]];
    expect(col0.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
    expect(col0.reduce((a, b) => a + b * b, 0) / 3).toBeCloseTo(1, 12);
    expect([rows[1], rows[3], rows[5]]).toEqual([0, 0, 0]);
    expect([rows[6], rows[7]]).toEqual([100, 100]);
  });
});
