import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isMatMulGradientRegistered, registerMatMulGradient, restoreMatMulGradient } from './mat-mul-gradient.js';
import { probeTensorflowBackend } from '../testing/tensorflow-backend-gate.js';
import { selectBackend } from './select-backend.js';

type Flags = [boolean, boolean];
const FLAGS: Flags[] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

function operands(batch: number[], tA: boolean, tB: boolean): [tf.Tensor, tf.Tensor] {
  const [m, k, n] = [4, 5, 3];
  const a = tf.randomNormal([...batch, ...(tA ? [k, m] : [m, k])], 0, 1, 'float32', 11);
  const b = tf.randomNormal([...batch, ...(tB ? [n, k] : [k, n])], 0, 1, 'float32', 12);
  return [a, b];
}

/** Gradients of a non-linear loss of the product, with whichever BatchMatMul gradient is registered. */
function grads(a: tf.Tensor, b: tf.Tensor, tA: boolean, tB: boolean): Float32Array[] {
  return tf.tidy(() => tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.softplus(tf.matMul(p, q, tA, tB)).sum())([a, b]).map((g) => g.dataSync() as Float32Array));
}

/**
 * A MAML meta-gradient: one inner SGD step on W for a support loss, then the query loss, all
 * differentiated w.r.t. W (the gradient of the gradient goes through BatchMatMul's gradient).
 */
function metaGrad(x: tf.Tensor, w: tf.Tensor, tB: boolean): Float32Array {
  return tf.tidy(() => {
    const lossOf = (v: tf.Tensor): tf.Scalar => tf.softplus(tf.matMul(x, v, false, tB)).square().mean();
    const outer = tf.grad((v: tf.Tensor) => {
      const inner = tf.grad(lossOf)(v);
      return lossOf(tf.sub(v, tf.mul(0.5, inner)));
    });
    return outer(w).dataSync() as Float32Array;
  });
}

function maxAbsDiff(x: Float32Array, y: Float32Array): number {
  return x.reduce((m, v, k) => Math.max(m, Math.abs(v - y[k])), 0);
}

// tensorflow too where its addon is built: the gradient is tfjs-core's (global), the kernels native.
const tensorflow = await probeTensorflowBackend();
if (!tensorflow.available) {
  describe('transpose-explicit BatchMatMul gradient on tensorflow', () => {
    it.skip(`skipped: ${tensorflow.detail}`, () => undefined);
  });
}

describe.each([...(tensorflow.available ? (['tensorflow'] as const) : []), 'wasm', 'cpu'] as const)('transpose-explicit BatchMatMul gradient on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend({ preferred: backend });
  });
  afterAll(() => {
    registerMatMulGradient();
  });

  it('is what selectBackend installs, idempotently', () => {
    expect(isMatMulGradientRegistered()).toBe(true);
    expect(registerMatMulGradient()).toBe(false);
  });

  it.each(FLAGS.flatMap((f) => [[[], ...f], [[3], ...f]] as Array<[number[], boolean, boolean]>))(
    'batch %j, transposeA %s, transposeB %s: equals the tfjs gradient',
    (batch, tA, tB) => {
      const [a, b] = operands(batch, tA, tB);
      const ours = grads(a, b, tA, tB);
      restoreMatMulGradient();
      const theirs = grads(a, b, tA, tB);
      registerMatMulGradient();
      expect(maxAbsDiff(ours[0], theirs[0])).toBeLessThan(1e-5);
      expect(maxAbsDiff(ours[1], theirs[1])).toBeLessThan(1e-5);
      tf.dispose([a, b]);
    },
  );

  it.each([false, true])('gives the same second-order meta-gradient as tfjs (transposeB %s)', (tB) => {
    const x = tf.randomNormal([6, 5], 0, 1, 'float32', 13);
    const w = tf.randomNormal(tB ? [3, 5] : [5, 3], 0, 1, 'float32', 14);
    const ours = metaGrad(x, w, tB);
    restoreMatMulGradient();
    const theirs = metaGrad(x, w, tB);
    registerMatMulGradient();
    expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-5);
    tf.dispose([x, w]);
  });

  it('sums over a broadcast batch axis where the tfjs gradient throws', () => {
    const a = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 15);
    const b = tf.randomNormal([1, 5, 2], 0, 1, 'float32', 16);
    const [, gb] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.matMul(p, q).square().sum())([a, b]);
    const loop = tf.addN([0, 1, 2].map((k) => tf.grad((q: tf.Tensor) => tf.matMul(a.gather([k]), q).square().sum())(b)));
    expect(gb.shape).toEqual([1, 5, 2]);
    expect(maxAbsDiff(gb.dataSync() as Float32Array, loop.dataSync() as Float32Array)).toBeLessThan(1e-4);
    tf.dispose([a, b, gb, loop]);
  });

  it('leaks no tensors', () => {
    const [a, b] = operands([], false, false);
    grads(a, b, false, false);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 5; k++) {
      grads(a, b, false, false);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });
});
