import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { timeOrder } from './time-order.js';

describe('timeOrder', () => {
  it('matches a stable comparison sort, over spans that need several radix passes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { maxLength: 200 }), fc.integer({ min: 0, max: 2 ** 41 }), (offsets, base) => {
        const times = Float64Array.from(offsets, (x) => 1e12 + base + x);
        const expected = Array.from(times.keys()).sort((a, b) => times[a] - times[b] || a - b);
        expect(Array.from(timeOrder(times))).toEqual(expected);
      }),
    );
  });
});
