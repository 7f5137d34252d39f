import * as tf from '@tensorflow/tfjs';

/**
 * `tf.matMul` for rank ≥ 3 operands whose batch dimensions broadcast (`[T,n,k] × [1,k,m]`
 * or `[T,n,k] × [k,m]`). tfjs 4.22 computes the forward pass but its gradient throws
 * ("gradient of input 'b' has shape 3,5,2 ... input 1,5,2"): the BatchMatMul gradient does
 * not sum over broadcast axes. Here the smaller operand is expanded with `tf.broadcastTo`,
 * whose gradient does the sum, so `tf.grad` works and matches a per-task loop.
 * Operands of equal batch shape go straight to `tf.matMul`.
 */
export function broadcastMatMul(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor {
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const rank = Math.max(batchA.length, batchB.length);
  const pad = (s: number[]): number[] => [...new Array<number>(rank - s.length).fill(1), ...s];
  const pa = pad(batchA);
  const pb = pad(batchB);
  const batch = pa.map((d, k) => Math.max(d, pb[k]));
  const full = (t: tf.Tensor, own: number[]): tf.Tensor =>
    own.length === rank && own.every((d, k) => d === batch[k]) ? t : tf.broadcastTo(t, [...batch, ...t.shape.slice(-2)]);
  return tf.matMul(full(a, batchA), full(b, batchB), transposeA, transposeB);
}
