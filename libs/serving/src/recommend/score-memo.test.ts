import { describe, expect, it } from 'vitest';

import { ScoreMemo, userFieldsKey } from './score-memo.js';

describe('ScoreMemo', () => {
  it('answers a repeat of the last candidate list entirely from memory', () => {
    const memo = new ScoreMemo(10);
    memo.remember('u', 0, ['a', 'b'], Float32Array.from([1, 2]));
    const out = new Float32Array(2);
    expect(memo.lookup('u', 0, ['a', 'b'], out)).toEqual([]);
    expect([...out]).toEqual([1, 2]);
  });

  it('returns the scores it has and the indices it has not, whatever the order', () => {
    const memo = new ScoreMemo(10);
    memo.remember('u', 0, ['a', 'b'], Float32Array.from([1, 2]));
    const out = new Float32Array(3);
    expect(memo.lookup('u', 0, ['b', 'c', 'a'], out)).toEqual([1]);
    expect([out[0], out[2]]).toEqual([2, 1]);
  });

  it('forgets everything when the user features or the item catalog epoch differ', () => {
    const memo = new ScoreMemo(10);
    memo.remember('u', 0, ['a'], Float32Array.from([1]));
    expect(memo.lookup('u-other-profile', 0, ['a'], new Float32Array(1))).toEqual([0]);
    memo.remember('u', 0, ['a'], Float32Array.from([1]));
    expect(memo.lookup('u', 1, ['a'], new Float32Array(1))).toEqual([0]);
    expect(memo.size).toBe(0);
  });

  it('does not memoise a list longer than maxEntries', () => {
    const memo = new ScoreMemo(3);
    memo.remember('u', 0, ['a', 'b', 'c', 'd'], Float32Array.from([1, 2, 3, 4]));
    expect(memo.size).toBe(0);
    expect(memo.lookup('u', 0, ['a'], new Float32Array(1))).toEqual([0]);
  });

  it('keeps a list order only for the very list whose scores it holds, and drops it with them', () => {
    const memo = new ScoreMemo(10);
    const ids = ['a', 'b'];
    memo.remember('u', 0, ids, Float32Array.from([1, 2]));
    memo.rememberOrder(['b', 'a'], Float32Array.from([0, 1]));
    expect(memo.orderOf(ids)).toBeNull();
    memo.rememberOrder(ids, Float32Array.from([5, 3]));
    expect(Array.from(memo.orderOf(['a', 'b']) ?? [])).toEqual([5, 3]);
    expect(memo.orderOf(['a'])).toBeNull();
    memo.remember('u', 0, ['a', 'c'], Float32Array.from([1, 4]));
    expect(memo.orderOf(['a', 'c'])).toBeNull();
    memo.rememberOrder(['a', 'c'], Float32Array.from([1, 1]));
    memo.lookup('u', 1, ['a', 'c'], new Float32Array(2));
    expect(memo.orderOf(['a', 'c'])).toBeNull();
  });

  it('keys users by their encoded fields', () => {
    expect(userFieldsKey(Int32Array.from([3, 0, 12]))).toBe('3,0,12');
  });
});
