import { describe, expect, it } from 'vitest';

import { SeededRng } from '@metarec/runtime';
import { blendRating, fitRatingBlend } from './rating-blend.js';

describe('fitRatingBlend', () => {
  it('recovers the weights and offset of a linear stack', () => {
    const rng = new SeededRng(2);
    const n = 2000;
    const preds = new Float64Array(n * 2);
    const y = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      preds[2 * r] = 3 + rng.normal();
      preds[2 * r + 1] = 3 + rng.normal();
      y[r] = 0.7 * preds[2 * r] + 0.2 * preds[2 * r + 1] + 0.3;
    }
    const w = fitRatingBlend(preds, y, 2, 1e-6);
    expect(w[0]).toBeCloseTo(0.7, 4);
    expect(w[1]).toBeCloseTo(0.2, 4);
    expect(w[2]).toBeCloseTo(0.3, 3);
    expect(blendRating(w, [4, 2])).toBeCloseTo(0.7 * 4 + 0.2 * 2 + 0.3, 3);
  });

  it('stays at the plain average when there is nothing to learn from', () => {
    const w = fitRatingBlend(new Float64Array(0), new Float64Array(0), 3);
    expect(Array.from(w.subarray(0, 3), (x) => Number(x.toFixed(6)))).toEqual([0.333333, 0.333333, 0.333333]);
  });

  it('fits the conditional median under absolute loss, the mean under squared loss', () => {
    const rng = new SeededRng(8);
    const n = 3000;
    const preds = Float64Array.from({ length: n }, () => 3 + rng.normal());
    // Skewed errors: 90 % exact, 10 % three stars lower (the mean is pulled down by 0.3, the median is not).
    const y = Float64Array.from(preds, (p, r) => (r % 10 === 0 ? p - 3 : p));
    const squared = fitRatingBlend(preds, y, 1, 1e-6, 'squared');
    const absolute = fitRatingBlend(preds, y, 1, 1e-6, 'absolute');
    expect(squared[1]).toBeCloseTo(-0.3, 1);
    expect(Math.abs(absolute[1])).toBeLessThan(0.02);
    expect(absolute[0]).toBeCloseTo(1, 2);
  });
});
