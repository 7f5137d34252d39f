import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs';

// tfjs 4.22's BatchMatMul gradient returns the un-reduced gradient when a batch dimension
// broadcasts ([T,n,k]·[1,k,m] or [T,n,k]·[k,m]: the shared operand gets a [T,k,m] gradient),
// which the engine rejects. The replacement computes the same products and sums over the
// broadcast batch axes. It is built from differentiable ops only (matMul itself, sum, reshape),
// so second-order MAML differentiates through it. Transposed products keep tfjs's flags: on
// wasm `registerWasmMatMulKernel` sends them to XNNPACK's fast path (measured here: tfjs's
// flagged products took ~25× a plain one before it, explicit tf.transpose ~1.5×, the
// dispatcher ~1.2–2.5×).

/** `x` (shape of a product's batch) summed down to `shape` (the operand's). */
function reduceTo(x: tf.Tensor, shape: readonly number[]): tf.Tensor {
  if (x.shape.length === shape.length && x.shape.every((d, k) => d === shape[k])) {
    return x;
  }
  const lead = x.shape.length - shape.length;
  const axes: number[] = [];
  x.shape.forEach((d, k) => {
    if (k < lead || (shape[k - lead] === 1 && d !== 1)) {
      axes.push(k);
    }
  });
  return tf.reshape(axes.length > 0 ? tf.sum(x, axes) : x, [...shape]);
}

/** `p · q`, where `pT`/`qT` mean "use the transpose". */
function product(p: tf.Tensor, pT: boolean, q: tf.Tensor, qT: boolean): tf.Tensor {
  return tf.matMul(p, q, pT, qT);
}

/**
 * With C = op(A)·op(B), op = transpose when the flag is set:
 * d op(A) = dy·op(B)ᵀ and d op(B) = op(A)ᵀ·dy, transposed back when the flag is set.
 */
function gradients(dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor, tA: boolean, tB: boolean): { a: () => tf.Tensor; b: () => tf.Tensor } {
  return {
    a: () => reduceTo(tA ? product(b, tB, dy, true) : product(dy, false, b, !tB), a.shape),
    b: () => reduceTo(tB ? product(dy, true, a, tA) : product(a, !tA, dy, false), b.shape),
  };
}

const reducingGradConfig: GradConfig = {
  kernelName: tf.BatchMatMul,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs: NamedAttrMap) => {
    const [a, b] = saved;
    return gradients(dy as tf.Tensor, a, b, attrs['transposeA'] === true, attrs['transposeB'] === true);
  },
};

let original: GradConfig | null = null;

/** True when the BatchMatMul gradient is this module's. */
export function isMatMulGradientRegistered(): boolean {
  return tf.getGradient(tf.BatchMatMul)?.gradFunc === reducingGradConfig.gradFunc;
}

/**
 * Replaces the global BatchMatMul gradient (used by every `tf.matMul` and `tf.layers.dense`)
 * with the broadcast-reducing one above. Idempotent; `selectBackend` calls it.
 * @returns `true` when this call registered it.
 */
export function registerMatMulGradient(): boolean {
  if (isMatMulGradientRegistered()) {
    return false;
  }
  original = tf.getGradient(tf.BatchMatMul) ?? null;
  tf.registerGradient(reducingGradConfig);
  return true;
}

/** Puts tfjs's own gradient back (canary tests and benchmarks only). */
export function restoreMatMulGradient(): void {
  if (isMatMulGradientRegistered() && original !== null) {
    tf.registerGradient(original);
  }
}
