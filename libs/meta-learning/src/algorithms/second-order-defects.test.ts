import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

/*
 * Why the model never puts sigmoid/tanh/exp/elu on a taped path: on tfjs 4.22 their gradient reads
 * the *saved forward output* y (sigmoid' = y(1−y)); the saved copy is cloned onto the tape before the
 * op's own node, so backprop through a nested tf.grads never reaches x through y and silently drops a
 * term of the second-order gradient. A customGrad that recomputes sigmoid from its saved *input*, or
 * softplus (whose gradient reads the input), gives the right answer.
 */
type Act = (x: tf.Tensor) => tf.Tensor;

const recomputingSigmoid: Act = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const x = args[0] as tf.Tensor;
  (args[1] as tf.GradSaveFunc)([x]);
  return {
    value: tf.sigmoid(x),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const s = tf.sigmoid(saved[0]);
      return [tf.mul(dy, tf.mul(s, tf.sub(1, s)))];
    },
  };
}) as Act;

const xs = tf.tensor2d([0.5, -1.2, 0.3, 0.9, -0.4, 1.5, 1.1, 0.2, -0.7, 0.6, -0.3, 0.8], [4, 3]);
const ys = tf.tensor2d([0.2, 0.9, 0.4, 0.7], [4, 1]);
const xq = tf.tensor2d([-0.2, 0.4, 1.0, 0.7, -0.9, 0.1], [2, 3]);
const yq = tf.tensor2d([0.6, 0.3], [2, 1]);

/** Query loss after one inner SGD step (lr 2) of a one-layer model act(x·w). */
function metaLoss(act: Act, w: tf.Tensor): tf.Scalar {
  const inner = (v: tf.Tensor): tf.Scalar => tf.mean(tf.square(tf.sub(act(tf.matMul(xs, v as tf.Tensor2D)), ys)));
  const g = tf.grad(inner)(w);
  const adapted = tf.sub(w, tf.mul(2, g));
  return tf.mean(tf.square(tf.sub(act(tf.matMul(xq, adapted as tf.Tensor2D)), yq)));
}

function relErrorVsFd(act: Act): number {
  const w0 = [0.3, -0.5, 0.8];
  const w = tf.tensor2d(w0, [3, 1]);
  const analytic = tf.grad((v: tf.Tensor) => metaLoss(act, v))(w).dataSync();
  const eps = 1e-2;
  let worst = 0;
  for (let i = 0; i < 3; i++) {
    const at = (delta: number): number => tf.tidy(() => metaLoss(act, tf.tensor2d(w0.map((v, k) => (k === i ? v + delta : v)), [3, 1])).dataSync()[0]);
    const fd = (at(eps) - at(-eps)) / (2 * eps);
    worst = Math.max(worst, Math.abs(fd - analytic[i]) / Math.max(Math.abs(fd), 1e-3));
  }
  return worst;
}

describe('second-order gradients through activations (tfjs 4.22)', () => {
  it('tf.sigmoid inside the inner loop gives a wrong meta-gradient (rel err vs FD > 5%)', () => {
    expect(relErrorVsFd((x) => tf.sigmoid(x))).toBeGreaterThan(0.05);
  });

  it('a customGrad sigmoid that recomputes from its input, and softplus, agree with FD (rel err < 1e-2)', () => {
    expect(relErrorVsFd(recomputingSigmoid)).toBeLessThan(1e-2);
    expect(relErrorVsFd((x) => tf.softplus(x))).toBeLessThan(1e-2);
  });
});
