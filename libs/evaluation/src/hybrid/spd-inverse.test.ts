import { describe, expect, it } from 'vitest';

import { SeededRng } from '@metarec/runtime';
import { invertSpd } from './spd-inverse.js';

describe('invertSpd', () => {
  it('returns the inverse of a random SPD matrix (A·A⁻¹ = I)', () => {
    const n = 12;
    const rng = new SeededRng(3);
    const m = Float64Array.from({ length: n * n }, () => rng.normal());
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = i === j ? 0.5 : 0;
        for (let k = 0; k < n; k++) {
          s += m[i * n + k] * m[j * n + k];
        }
        a[i * n + j] = s;
      }
    }
    const inv = invertSpd(a.slice(), n);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) {
          s += a[i * n + k] * inv[k * n + j];
        }
        worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
      }
    }
    expect(worst).toBeLessThan(1e-9);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        expect(inv[i * n + j]).toBe(inv[j * n + i]);
      }
    }
  });
});
