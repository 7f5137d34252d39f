import { describe, expect, it } from 'vitest';

import { axisPosition } from './chart-axis.js';

describe('axisPosition', () => {
  const log = { scale: 'log1p' as const, min: 0, max: 99, from: 100, to: 400 };

  it('places 0, 9 and 99 evenly on a log1p axis (equal ratios of 1 + x, equal distances)', () => {
    expect(axisPosition(0, log)).toBeCloseTo(100, 9);
    expect(axisPosition(9, log)).toBeCloseTo(250, 9);
    expect(axisPosition(99, log)).toBeCloseTo(400, 9);
  });

  it('keeps support sizes in order and gives one more rating more room at small supports', () => {
    const axis = { ...log, max: 50 };
    const at = [0, 1, 2, 5, 10, 20, 50].map((v) => axisPosition(v, axis));
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(axisPosition(2, axis) - axisPosition(1, axis)).toBeGreaterThan(5 * (axisPosition(21, axis) - axisPosition(20, axis)));
  });

  it('is proportional on a linear axis and centres a single value', () => {
    expect(axisPosition(5, { scale: 'linear', min: 0, max: 10, from: 0, to: 200 })).toBe(100);
    expect(axisPosition(3, { scale: 'log1p', min: 3, max: 3, from: 0, to: 200 })).toBe(100);
  });
});
