import { describe, expect, it } from 'vitest';

import { Rng } from './rng.js';

describe('Rng', () => {
  it('repeats a sequence for a seed and continues it exactly from a saved state', () => {
    const a = Rng.seeded(42);
    const first = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => Rng.seeded(42).nextUint32())[0]).toBe(first[0]);
    const saved = JSON.parse(JSON.stringify(a.state())) as unknown;
    const next = Array.from({ length: 5 }, () => a.next());
    const restored = Rng.fromState(saved);
    expect(Array.from({ length: 5 }, () => restored.next())).toEqual(next);
    expect(Rng.seeded(43).nextUint32()).not.toBe(first[0]);
  });

  it('draws uniform floats and standard normals with the expected moments', () => {
    const rng = Rng.seeded('moments');
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

  it('rejects a malformed state', () => {
    expect(() => Rng.fromState({ a: 1, b: 2, c: -1, d: 0 })).toThrow(expect.objectContaining({ code: 'DS_SERIALIZED_INVALID' }) as Error);
  });
});
