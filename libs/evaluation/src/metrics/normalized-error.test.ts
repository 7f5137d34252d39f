import { describe, expect, it } from 'vitest';

import { normalizedByScale } from './normalized-error.js';

describe('normalizedByScale', () => {
  it('divides an error by the range of the scale', () => {
    expect(normalizedByScale(1, { min: 1, max: 5 })).toBe(0.25);
    expect(normalizedByScale(1, { min: 0, max: 10 })).toBe(0.1);
    expect(normalizedByScale(0.9, { min: 0.5, max: 5 })).toBeCloseTo(0.2, 12);
  });

  it('keeps a missing error missing', () => {
    expect(normalizedByScale(null, { min: 1, max: 5 })).toBeNull();
  });
});
