import * as tf from '@tensorflow/tfjs';

/**
 * 2-D `a·b` whose gradient uses only plain (untransposed) 2-D matMuls and explicit transposes:
 * dA = dy·transpose(b), dB = transpose(a)·dy. tfjs's own MatMul gradient calls transposed matMul,
 * which leaves the XNNPACK fast path on wasm (measured 3–4× slower for MeLU-size layers). The
 * gradient calls this op again, so every derivative order stays on the fast path, and it reads
 * the saved *inputs* (tape-connected copies), so second-order gradients are exact.
 */
export function plainMatMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return op(a, b) as tf.Tensor2D;
}

const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const a = args[0] as tf.Tensor2D;
  const b = args[1] as tf.Tensor2D;
  (args[2] as tf.GradSaveFunc)([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [plainMatMul(dy as tf.Tensor2D, tf.transpose(sb)), plainMatMul(tf.transpose(sa), dy as tf.Tensor2D)];
    },
  };
});
