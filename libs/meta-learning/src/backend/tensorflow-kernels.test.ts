import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { probeTensorflowBackend } from '../testing/tensorflow-backend-gate.js';
import { selectBackend } from './select-backend.js';
import { registerTensorflowKernels } from './tensorflow-kernels.js';

const tensorflow = await probeTensorflowBackend();

if (!tensorflow.available) {
  describe('tensorflow kernel replacements', () => {
    it.skip(`skipped: ${tensorflow.detail}`, () => undefined);
  });
}

describe.runIf(tensorflow.available)('tensorflow kernel replacements', () => {
  beforeAll(async () => {
    await selectBackend({ preferred: 'tensorflow' });
  });

  it('are installed by selectBackend and only once', () => {
    expect(tf.getBackend()).toBe('tensorflow');
    expect(registerTensorflowKernels()).toEqual([]);
  });

  it('step(x) is 0 / 1 with NaN kept, as tfjs-node own kernel; other alphas keep their value', () => {
    const x = tf.tensor1d([-2, -0, 0, 1e-30, 3, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    const s = Array.from(tf.step(x).dataSync());
    expect(s.slice(0, 5)).toEqual([0, 0, 0, 1, 1]);
    expect(Number.isNaN(s[5])).toBe(true);
    expect(s.slice(6)).toEqual([1, 0]);
    expect(Array.from(tf.step(tf.tensor1d([-1, 2]), 0.25).dataSync())).toEqual([0.25, 1]);
    tf.dispose(x);
  });

  it('relu gradients (first and second order) match the cpu backend', async () => {
    const values = [-1.5, -0.2, 0.3, 2, -3, 0.7];
    const run = (): number[][] =>
      tf.tidy(() => {
        const x = tf.tensor1d(values);
        const f = (v: tf.Tensor): tf.Tensor => tf.sum(tf.mul(tf.relu(v), tf.relu(v)));
        const g = tf.grad(f)(x);
        const gg = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.grad(f)(v), v)))(x);
        return [Array.from(g.dataSync()), Array.from(gg.dataSync())];
      });
    const onTensorflow = run();
    await selectBackend({ preferred: 'cpu' });
    const onCpu = run();
    await selectBackend({ preferred: 'tensorflow' });
    expect(onTensorflow).toEqual(onCpu);
  });

  it('a same-dtype cast shares the data (no new TensorFlow tensor) and other casts convert', () => {
    const x = tf.tensor2d([[1.5, -2], [3, 4]]);
    const dataIds = tf.engine().backend.numDataIds();
    const y = tf.cast(x, 'float32');
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
    expect(y.shape).toEqual([2, 2]);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1.5, -2, 3, 4]);
    expect(Array.from(tf.cast(y, 'int32').dataSync())).toEqual([1, -2, 3, 4]);
    y.dispose();
  });
});
