import { describe, expect, it } from 'vitest';

import { ScoreMemo, userFieldsKey } from './score-memo.js';

describe('ScoreMemo', () => {
  it('returns the stored scores and the indices it has no score for', () => {
    const memo = new ScoreMemo(10);
    memo.fill('u', 0, ['a', 'b'], Float32Array.from([1, 2]));
    const out = new Float32Array(3);
    expect(memo.lookup('u', 0, ['b', 'c', 'a'], out)).toEqual([1]);
    expect([out[0], out[2]]).toEqual([2, 1]);
    memo.store(['b', 'c', 'a'], [1], Float32Array.from([3]));
    expect(memo.lookup('u', 0, ['c'], new Float32Array(1))).toEqual([]);
  });

  it('forgets everything when the user features or the item catalog epoch differ', () => {
    const memo = new ScoreMemo(10);
    memo.fill('u', 0, ['a'], Float32Array.from([1]));
    expect(memo.lookup('u-other-profile', 0, ['a'], new Float32Array(1))).toEqual([0]);
    memo.fill('u', 0, ['a'], Float32Array.from([1]));
    expect(memo.lookup('u', 1, ['a'], new Float32Array(1))).toEqual([0]);
    expect(memo.size).toBe(0);
  });

  it('never holds more than maxEntries scores', () => {
    const memo = new ScoreMemo(3);
    memo.fill('u', 0, ['a', 'b', 'c', 'd'], Float32Array.from([1, 2, 3, 4]));
    expect(memo.size).toBe(3);
    memo.lookup('u', 0, ['e', 'f'], new Float32Array(2));
    memo.store(['e', 'f'], [0, 1], Float32Array.from([5, 6]));
    expect(memo.size).toBeLessThanOrEqual(3);
    expect(memo.lookup('u', 0, ['e', 'f'], new Float32Array(2))).toEqual([]);
  });

  it('keys users by their encoded fields', () => {
    expect(userFieldsKey(Int32Array.from([3, 0, 12]))).toBe('3,0,12');
  });
});
