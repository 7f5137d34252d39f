import { describe, expect, it } from 'vitest';

import { createParamLayout } from '../params/param-layout.js';
import { applyUpdate, createOptimizerState } from './adam.js';
import { learningRateAt } from './lr-schedule.js';

const layout = createParamLayout([{ name: 'w', shape: [2] }]);

describe('applyUpdate (Adam on flat arrays)', () => {
  it('matches a hand computation over two steps', () => {
    const s0 = createOptimizerState(layout);
    const p0 = Float32Array.from([1, -2]);
    const r1 = applyUpdate(p0, s0, Float32Array.from([0.5, -4]), { lr: 0.1 });
    // Step 1: m = 0.1g, v = 0.001g², m̂ = g, v̂ = g² → update = lr·sign(g) (eps negligible).
    expect(r1.params[0]).toBeCloseTo(0.9, 6);
    expect(r1.params[1]).toBeCloseTo(-1.9, 6);
    const r2 = applyUpdate(r1.params, r1.state, Float32Array.from([1, 0]), { lr: 0.1 });
    // Step 2, element 0: m = 0.9·0.05 + 0.1·1 = 0.145, v = 0.999·0.00025 + 0.001·1 = 0.00124975.
    const m = 0.145 / (1 - 0.81);
    const v = 0.00124975 / (1 - 0.999 ** 2);
    expect(r2.params[0]).toBeCloseTo(0.9 - (0.1 * m) / (Math.sqrt(v) + 1e-8), 5);
    expect(r2.state.step).toBe(2);
    expect(Array.from(p0)).toEqual([1, -2]);
  });

  it('clips by value, then by global norm, and adds L2 and decoupled decay', () => {
    const s = createOptimizerState(layout);
    const p = Float32Array.from([1, 1]);
    const r = applyUpdate(p, s, Float32Array.from([30, -40]), { lr: 0.1, clipValue: 10, clipNorm: 1 });
    expect(r.gradNorm).toBeCloseTo(Math.sqrt(200), 5);
    expect(r.clipped).toBe(true);
    expect(r.state.m[0]).toBeCloseTo(0.1 * (10 / Math.sqrt(200)), 6);
    const wd = applyUpdate(p, s, Float32Array.from([0, 0]), { lr: 0.1, weightDecay: 0.5 });
    expect(wd.params[0]).toBeCloseTo(1 - 0.05, 6);
    const l2 = applyUpdate(p, s, Float32Array.from([0, 0]), { lr: 0.1, l2: 1 });
    expect(l2.state.m[0]).toBeCloseTo(0.1, 6);
  });

  it('rejects NaN gradients and wrong lengths', () => {
    const s = createOptimizerState(layout);
    expect(() => applyUpdate(Float32Array.from([1, 1]), s, Float32Array.from([NaN, 0]), { lr: 0.1 })).toThrow(/non-finite/);
    expect(() => applyUpdate(Float32Array.from([1, 1]), s, new Float32Array(3), { lr: 0.1 })).toThrow(/gradient/);
  });
});

describe('learningRateAt', () => {
  it('follows constant, step and cosine-with-warm-up schedules', () => {
    expect(learningRateAt(0.1, { kind: 'constant' }, 99)).toBe(0.1);
    expect(learningRateAt(0.1, { kind: 'step', stepSize: 10, gamma: 0.5 }, 25)).toBeCloseTo(0.025, 12);
    const cos = { kind: 'cosine', totalSteps: 110, warmupSteps: 10, minLr: 0.01 } as const;
    expect(learningRateAt(0.1, cos, 0)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(0.1, cos, 9)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(0.1, cos, 60)).toBeCloseTo(0.055, 12);
    expect(learningRateAt(0.1, cos, 500)).toBeCloseTo(0.01, 12);
  });
});
