import { describe, expect, it } from 'vitest';

import { solveSpdInPlace } from './ridge-solve.js';

describe('solveSpdInPlace', () => {
  it('solves a 3x3 SPD system', () => {
    const a = Float64Array.from([4, 2, 0, 2, 5, 1, 0, 1, 3]);
    const x = [1, -2, 3];
    const b = Float64Array.from([4 * 1 + 2 * -2, 2 * 1 + 5 * -2 + 1 * 3, -2 + 9]);
    solveSpdInPlace(a, b, 3);
    x.forEach((v, k) => expect(b[k]).toBeCloseTo(v, 10));
  });
});
