import { describe, expect, it } from 'vitest';

import { positiveThresholdOf, resolvePositiveThreshold } from './positive-threshold.js';

describe('positive threshold from the rating scale', () => {
  it('sits at the place of 4 stars on 1–5 on every scale', () => {
    expect(positiveThresholdOf({ min: 1, max: 5 })).toBe(4);
    expect(positiveThresholdOf({ min: 0.5, max: 5 })).toBe(3.875);
    expect(positiveThresholdOf({ min: 0, max: 10 })).toBe(7.5);
  });

  it('is derived unless given, and a given one wins', () => {
    expect(resolvePositiveThreshold({ min: 0, max: 10 })).toEqual({ value: 7.5, source: 'scale' });
    expect(resolvePositiveThreshold({ min: 0, max: 10 }, 8)).toEqual({ value: 8, source: 'option' });
  });

  it('refuses a given threshold outside the scale', () => {
    expect(() => resolvePositiveThreshold({ min: 1, max: 5 }, 6)).toThrow(expect.objectContaining({ code: 'EVAL_CONFIG_INVALID' }));
    expect(() => resolvePositiveThreshold({ min: 1, max: 5 }, Number.NaN)).toThrow(/inside the rating scale 1..5/);
  });
});
