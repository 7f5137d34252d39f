import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { safeElu, safeExp, safeSigmoid, safeTanh } from './safe-activations.js';
import { probeTensorflowBackend } from '../testing/tensorflow-backend-gate.js';
import { selectBackend } from './select-backend.js';

type Unary = (x: tf.Tensor) => tf.Tensor;
const XS = [-2.5, -0.7, -0.1, 0.3, 1.2, 3];
const sig = (v: number): number => 1 / (1 + Math.exp(-v));

// Analytic first, second and third derivatives.
const CASES: { name: string; plain: Unary; safe: Unary; d1: (v: number) => number; d2: (v: number) => number; d3: (v: number) => number }[] = [
  {
    name: 'sigmoid', plain: (x) => tf.sigmoid(x), safe: safeSigmoid,
    d1: (v) => sig(v) * (1 - sig(v)),
    d2: (v) => sig(v) * (1 - sig(v)) * (1 - 2 * sig(v)),
    d3: (v) => sig(v) * (1 - sig(v)) * (1 - 6 * sig(v) + 6 * sig(v) ** 2),
  },
  {
    name: 'tanh', plain: (x) => tf.tanh(x), safe: safeTanh,
    d1: (v) => 1 - Math.tanh(v) ** 2,
    d2: (v) => -2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2),
    d3: (v) => -2 * (1 - Math.tanh(v) ** 2) * (1 - 3 * Math.tanh(v) ** 2),
  },
  { name: 'exp', plain: (x) => tf.exp(x), safe: safeExp, d1: Math.exp, d2: Math.exp, d3: Math.exp },
  {
    name: 'elu', plain: (x) => tf.elu(x), safe: safeElu,
    d1: (v) => (v > 0 ? 1 : Math.exp(v)), d2: (v) => (v > 0 ? 0 : Math.exp(v)), d3: (v) => (v > 0 ? 0 : Math.exp(v)),
  },
];

/**
 * d²/dx² of f, taken as MAML does: the inner gradient feeds a loss that also depends on x
 * directly (`+ x`), so a dropped curvature term does not throw, it silently vanishes.
 * Returns the second derivative (the `+ x` contributes exactly 1, subtracted here).
 */
function secondDerivative(f: Unary, xs: number[]): number[] {
  const inner = tf.grad((t: tf.Tensor) => f(t).sum());
  const outer = tf.grad((t: tf.Tensor) => inner(t).add(t).sum());
  return tf.tidy(() => Array.from(outer(tf.tensor1d(xs)).dataSync()).map((v) => v - 1));
}

function thirdDerivative(f: Unary, xs: number[]): number[] {
  const g1 = tf.grad((t: tf.Tensor) => f(t).sum());
  const g2 = tf.grad((t: tf.Tensor) => g1(t).sum());
  const g3 = tf.grad((t: tf.Tensor) => g2(t).sum());
  return tf.tidy(() => Array.from(g3(tf.tensor1d(xs)).dataSync()));
}

function close(a: number[], b: number[], tol = 2e-4): boolean {
  return a.length === b.length && a.every((v, k) => Math.abs(v - b[k]) <= tol * Math.max(1, Math.abs(b[k])));
}

// tensorflow too where its addon is built (METAREC_REQUIRE_TENSORFLOW=1: required): the canary
// holds there as well, since the defect is in tfjs-core's gradient definitions, not in a kernel.
const tensorflow = await probeTensorflowBackend();
if (!tensorflow.available) {
  describe('second-order-safe activations on tensorflow', () => {
    it.skip(`skipped: ${tensorflow.detail}`, () => undefined);
  });
}

describe.each([...(tensorflow.available ? (['tensorflow'] as const) : []), 'wasm', 'cpu'] as const)('second-order-safe activations on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend({ preferred: backend });
  });

  it.each(CASES)('canary: plain tf.$name drops its curvature term in a gradient of a gradient', ({ plain }) => {
    // tfjs 4.22 differentiates these through a saved output disconnected from x: the second
    // derivative comes out exactly 0. When this fails upstream fixed it; the safe versions stay correct.
    expect(secondDerivative(plain, XS).every((v) => Math.abs(v) < 1e-6)).toBe(true);
  });

  it.each(CASES)('safe $name matches the forward value and the analytic first, second and third derivatives', ({ plain, safe, d1, d2, d3 }) => {
    const x = tf.tensor1d(XS);
    expect(close(Array.from(safe(x).dataSync()), Array.from(plain(x).dataSync()), 1e-6)).toBe(true);
    const first = tf.tidy(() => Array.from(tf.grad((t: tf.Tensor) => safe(t).sum())(x).dataSync()));
    expect(close(first, XS.map(d1))).toBe(true);
    expect(close(secondDerivative(safe, XS), XS.map(d2))).toBe(true);
    expect(close(thirdDerivative(safe, XS), XS.map(d3), 1e-3)).toBe(true);
    x.dispose();
  });

  it('safeElu stays finite where exp would overflow on the unused branch', () => {
    expect(secondDerivative(safeElu, [100, -100])).toEqual([0, expect.closeTo(0, 12)]);
    expect(thirdDerivative(safeElu, [100, -100]).every(Number.isFinite)).toBe(true);
  });

  it('leaks no tensors across repeated second-order calls', () => {
    secondDerivative(safeSigmoid, XS);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 5; k++) {
      secondDerivative(safeSigmoid, XS);
      secondDerivative(safeElu, XS);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
