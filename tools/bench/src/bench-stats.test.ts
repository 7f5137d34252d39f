import { describe, expect, it } from 'vitest';

import { percentile, timingStats } from './bench-stats.js';

describe('bench stats', () => {
  it('interpolates percentiles like numpy.percentile', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 0, 5], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBeCloseTo(9.1, 10);
    expect(percentile([3], 99)).toBe(3);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarises timings', () => {
    expect(timingStats([4, 1, 3, 2])).toMatchObject({ n: 4, mean_ms: 2.5, p50_ms: 2.5, min_ms: 1, max_ms: 4 });
  });
});
