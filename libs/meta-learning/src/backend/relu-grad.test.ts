import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { probeTensorflowBackend } from '../testing/tensorflow-backend-gate.js';
import { reluGrad } from './relu-grad.js';
import { selectBackend } from './select-backend.js';

const tensorflow = await probeTensorflowBackend();

if (!tensorflow.available) {
  describe('reluGrad on tensorflow', () => {
    it.skip(`skipped: ${tensorflow.detail}`, () => undefined);
  });
}

const DY = [0.5, -2, 3, 1.5, -0.25, 4];
const X = [-1, 2, 0, 0.001, 3, -0.5];

describe.runIf(tensorflow.available)('reluGrad on tensorflow', () => {
  beforeAll(async () => {
    await selectBackend({ preferred: 'tensorflow' });
  });
  afterAll(async () => {
    await selectBackend({ preferred: 'cpu' });
  });

  it('is one ReluGrad op equal to dy · step(x), and its gradient w.r.t. dy is the same mask (x gets zero)', async () => {
    const info = await tf.profile(() => {
      tf.tidy(() => {
        reluGrad(tf.tensor1d(DY), tf.tensor1d(X));
      });
      return [];
    });
    expect(info.kernels.map((k) => k.name)).toEqual(['MetarecReluGrad']);
    const [value, gDy, gX] = tf.tidy(() => {
      const dy = tf.tensor1d(DY);
      const x = tf.tensor1d(X);
      const weights = tf.tensor1d([1, 2, 3, 4, 5, 6]);
      const [a, b] = tf.grads((d: tf.Tensor, v: tf.Tensor) => tf.sum(tf.mul(weights, reluGrad(d, v))))([dy, x]);
      return [reluGrad(dy, x).arraySync(), a.arraySync(), b.arraySync()] as number[][];
    });
    expect(value).toEqual(DY.map((d, i) => (X[i] > 0 ? d : 0)));
    expect(gDy).toEqual([0, 2, 0, 4, 5, 0]);
    expect(gX).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('refuses operands of different shapes, naming both', () => {
    expect(() => reluGrad(tf.tensor1d(DY), tf.tensor1d([1, 2]))).toThrow(/dy \[6\] float32 and x \[2\] float32/);
  });
});
