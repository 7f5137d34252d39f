import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs';

// tfjs 4.22's BatchMatMul gradient (every matMul of a backward pass) is
//   dA = matMul(dy, b, false, true), dB = matMul(a, dy, true, false)
// On wasm a transposed operand leaves XNNPACK's fast path: measured here on [512,256]·[256,64]-
// sized products, transposeA/transposeB take ~25× the plain 2-D product, while an explicit
// tf.transpose followed by a plain matMul costs ~1.6× (tools/bench matmul-paths). It also
// returns the un-reduced gradient when a batch dimension broadcasts, which the engine rejects.
// The replacement below computes the same gradients with explicit transposes on wasm (flags
// elsewhere: native and cpu kernels handle them well) and sums over broadcast batch axes. It is
// built from differentiable ops only (matMul itself, transpose, sum, reshape), so second-order
// MAML differentiates through it.

/** Swaps the last two axes. */
function swapLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, k) => k);
  const n = perm.length;
  [perm[n - 2], perm[n - 1]] = [perm[n - 1], perm[n - 2]];
  return tf.transpose(x, perm);
}

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

/** `p · q`, where `pT`/`qT` mean "use the transpose": explicit transposes on wasm, flags elsewhere. */
function product(p: tf.Tensor, pT: boolean, q: tf.Tensor, qT: boolean): tf.Tensor {
  if (tf.getBackend() !== 'wasm') {
    return tf.matMul(p, q, pT, qT);
  }
  return tf.matMul(pT ? swapLast(p) : p, qT ? swapLast(q) : q);
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

const fastGradConfig: GradConfig = {
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
  return tf.getGradient(tf.BatchMatMul)?.gradFunc === fastGradConfig.gradFunc;
}

/**
 * Replaces the global BatchMatMul gradient (used by every `tf.matMul` and `tf.layers.dense`)
 * with the transpose-explicit, broadcast-reducing one above. Idempotent; `selectBackend` calls it.
 * @returns `true` when this call registered it.
 */
export function registerMatMulGradient(): boolean {
  if (isMatMulGradientRegistered()) {
    return false;
  }
  original = tf.getGradient(tf.BatchMatMul) ?? null;
  tf.registerGradient(fastGradConfig);
  return true;
}

/** Puts tfjs's own gradient back (canary tests and benchmarks only). */
export function restoreMatMulGradient(): void {
  if (isMatMulGradientRegistered() && original !== null) {
    tf.registerGradient(original);
  }
}
