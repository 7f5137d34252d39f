import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { probeTensorflowBackend } from '../testing/tensorflow-backend-gate.js';
import { denseLayer, matMul2d } from './mat-mul-2d.js';
import { selectBackend } from './select-backend.js';

const tensorflow = await probeTensorflowBackend();

if (!tensorflow.available) {
  describe('matMul2d on tensorflow', () => {
    it.skip(`skipped: ${tensorflow.detail}`, () => undefined);
  });
}

const A = [
  [1, -2, 0.5],
  [3, 0.25, -1],
];
const B = [
  [2, 1],
  [-1, 0.5],
  [0, 3],
];

/** Values and gradients of sum(w ⊙ op(a)·op(b)) for every flag combination, on the active backend. */
function run(f: typeof matMul2d): number[][] {
  const out: number[][] = [];
  for (const [tA, tB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    tf.tidy(() => {
      const a = tA ? tf.transpose(tf.tensor2d(A)) : tf.tensor2d(A);
      const b = tB ? tf.transpose(tf.tensor2d(B)) : tf.tensor2d(B);
      const weights = tf.tensor2d([
        [1, 2],
        [-3, 0.5],
      ]);
      const loss = (x: tf.Tensor, y: tf.Tensor): tf.Scalar => tf.sum(tf.mul(weights, f(x as tf.Tensor2D, y as tf.Tensor2D, tA, tB)));
      out.push(Array.from(f(a as tf.Tensor2D, b as tf.Tensor2D, tA, tB).dataSync()));
      for (const g of tf.grads(loss)([a, b])) {
        out.push(Array.from(g.dataSync()));
      }
    });
  }
  return out;
}

describe.runIf(tensorflow.available)('matMul2d on tensorflow', () => {
  beforeAll(async () => {
    await selectBackend({ preferred: 'tensorflow' });
  });
  afterAll(async () => {
    await selectBackend({ preferred: 'cpu' });
  });

  it('runs one TensorFlow MatMul (no reshapes) and equals tf.matMul on cpu, values and gradients, every transpose flag', async () => {
    const info = await tf.profile(() => {
      tf.tidy(() => {
        matMul2d(tf.tensor2d(A), tf.tensor2d(B));
      });
      return [];
    });
    expect(info.kernels.map((k) => k.name)).toEqual(['MetarecMatMul2D']);
    const onTensorflow = run(matMul2d);
    await selectBackend({ preferred: 'cpu' });
    const onCpu = run((a, b, tA, tB) => tf.matMul(a, b, tA, tB));
    await selectBackend({ preferred: 'tensorflow' });
    expect(onTensorflow.length).toBe(12);
    onTensorflow.forEach((values, i) => values.forEach((v, j) => expect(v).toBeCloseTo(onCpu[i][j], 5)));
  });

  it('names both shapes when the inner dimensions differ', () => {
    expect(() => matMul2d(tf.tensor2d(A), tf.tensor2d(A))).toThrow(/inner dimensions differ: \[2,3\] · \[2,3\]/);
  });

  it('denseLayer is act(a·w + b) as tf.fused.matMul computes it', () => {
    const [mine, fused] = tf.tidy(() => {
      const a = tf.tensor2d(A);
      const w = tf.tensor2d(B);
      const bias = tf.tensor1d([0.5, -4]);
      return [denseLayer(a, w, bias, 'relu').arraySync(), tf.relu(tf.add(tf.matMul(a, w), bias)).arraySync()];
    });
    expect(mine).toEqual(fused);
  });
});
