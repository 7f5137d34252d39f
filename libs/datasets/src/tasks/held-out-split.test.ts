import { describe, expect, it } from 'vitest';

import { userSplitOf } from './held-out-split.js';

describe('userSplitOf', () => {
  const options = { splitSeed: 0, validationFraction: 0.1, testFraction: 0.2 };
  const ids = Array.from({ length: 5000 }, (_, k) => `u${k}`);

  it('assigns shares close to the fractions, the same way on every call', () => {
    const parts = ids.map((id) => userSplitOf(id, options));
    const share = (p: string): number => parts.filter((x) => x === p).length / ids.length;
    expect(share('test')).toBeCloseTo(0.2, 1);
    expect(share('validation')).toBeCloseTo(0.1, 1);
    expect(ids.map((id) => userSplitOf(id, options))).toEqual(parts);
  });

  it('moves users with the seed, and holds none out at zero fractions', () => {
    const a = ids.map((id) => userSplitOf(id, options));
    const b = ids.map((id) => userSplitOf(id, { ...options, splitSeed: 1 }));
    expect(b).not.toEqual(a);
    expect(ids.every((id) => userSplitOf(id, { splitSeed: 3, validationFraction: 0, testFraction: 0 }) === 'train')).toBe(true);
  });
});
