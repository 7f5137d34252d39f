import { describe, expect, it } from 'vitest';

import { clipToScale } from './clip-to-scale.js';

describe('clipToScale', () => {
  it('brings predictions outside the scale to its ends and leaves the rest', () => {
    expect(Array.from(clipToScale([7, -1, 3.5, 5, 1], { min: 1, max: 5 }))).toEqual([5, 1, 3.5, 5, 1]);
    expect(Array.from(clipToScale([10.5, 0.25], { min: 0.5, max: 5 }))).toEqual([5, 0.5]);
  });
});
