import { describe, expect, it } from 'vitest';

import { absoluteErrors, meanAbsoluteError, pooledMean, rootMeanSquaredError } from './rating-error.js';

describe('rating error', () => {
  it('computes MAE and RMSE by hand', () => {
    // errors 1, -2, 0.5 -> MAE 3.5/3, RMSE sqrt((1 + 4 + 0.25)/3)
    expect(meanAbsoluteError([4, 1, 3.5], [3, 3, 3])).toBeCloseTo(3.5 / 3, 12);
    expect(rootMeanSquaredError([4, 1, 3.5], [3, 3, 3])).toBeCloseTo(Math.sqrt(5.25 / 3), 12);
  });

  it('is NaN on empty input rather than 0', () => {
    expect(meanAbsoluteError([], [])).toBeNaN();
    expect(rootMeanSquaredError([], [])).toBeNaN();
  });
});

describe('pooledMean', () => {
  it('weighs every rating once across parts, not every part', () => {
    expect(pooledMean([absoluteErrors([4, 1], [3, 3]), absoluteErrors([3.5], [3])])).toBeCloseTo(3.5 / 3, 12);
    expect(pooledMean([new Float64Array(0)])).toBeNaN();
  });
});
