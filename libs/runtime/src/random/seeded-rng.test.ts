import { describe, expect, it } from 'vitest';

import { hashString } from './hash-string.js';
import { SeededRng } from './seeded-rng.js';

describe('SeededRng', () => {
  it('repeats a sequence for a seed and continues it exactly from a saved state', () => {
    const a = new SeededRng(42);
    const first = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => new SeededRng(42).nextUint32())[0]).toBe(first[0]);
    const saved = JSON.parse(JSON.stringify(a.state())) as unknown;
    const next = [a.next(), a.nextUint32(), a.normal(), a.int(1000), a.uniform(-2, 3)];
    const restored = SeededRng.fromState(saved);
    expect([restored.next(), restored.nextUint32(), restored.normal(), restored.int(1000), restored.uniform(-2, 3)]).toEqual(next);
    expect(new SeededRng(43).nextUint32()).not.toBe(first[0]);
  });

  it('restores every state it saves (all four words stay unsigned)', () => {
    const rng = new SeededRng(3);
    for (let k = 0; k < 1000; k++) {
      const saved = rng.state();
      const expected = rng.nextUint32();
      expect(SeededRng.fromState(saved).nextUint32()).toBe(expected);
    }
  });

  it('seeds from a string through hashString', () => {
    expect(new SeededRng('user-7').nextUint32()).toBe(new SeededRng(hashString('user-7')).nextUint32());
    expect(hashString('user-7')).not.toBe(hashString('user-8'));
  });

  it('draws uniform floats and standard normals with the expected moments', () => {
    const rng = new SeededRng('moments');
    const n = 100_000;
    let sum = 0;
    let sumSq = 0;
    let uniformSum = 0;
    let outside = 0;
    for (let k = 0; k < n; k++) {
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
      const u = rng.next();
      outside += u >= 0 && u < 1 ? 0 : 1;
      uniformSum += u;
    }
    expect(outside).toBe(0);
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.02);
    expect(Math.abs(uniformSum / n - 0.5)).toBeLessThan(0.01);
  });

  it('shuffles arrays and typed arrays in place and draws permutations of 0..n-1', () => {
    const rng = new SeededRng(5);
    const words = rng.shuffle(['a', 'b', 'c', 'd', 'e', 'f']);
    expect([...words].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    const p = rng.permutation(100);
    expect(p).toBeInstanceOf(Int32Array);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, k) => k));
    expect([...p]).not.toEqual(Array.from({ length: 100 }, (_, k) => k));
    expect([...new SeededRng(5).shuffle(['a', 'b', 'c', 'd', 'e', 'f'])]).toEqual(words);
  });

  it('forks an independent generator without repeating the parent', () => {
    const parent = new SeededRng(9);
    const child = parent.fork();
    expect(child.nextUint32()).not.toBe(parent.nextUint32());
  });

  it('rejects a non-finite seed and a malformed or foreign state', () => {
    const invalid = expect.objectContaining({ code: 'RT_RNG_STATE_INVALID' }) as Error;
    expect(() => new SeededRng(Number.NaN)).toThrow(invalid);
    expect(() => SeededRng.fromState({ algorithm: 'sfc32', a: 1, b: 2, c: -1, d: 0 })).toThrow(invalid);
    expect(() => SeededRng.fromState({ a: 1, b: 2, c: 3, d: 0 })).toThrow(invalid);
    expect(() => SeededRng.fromState({ algorithm: 'mulberry32', state: 7 })).toThrow(invalid);
  });
});
