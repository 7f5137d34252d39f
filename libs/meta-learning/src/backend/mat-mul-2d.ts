import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

import { floatTypeAttr, onTensorflowBackend, tfeBackend } from './tfe-backend.js';

// A 2-D product on the tensorflow backend as ONE TensorFlow op. tfjs-core's matMul reshapes 2-D
// operands to [1, m, k], runs BatchMatMulV2 and reshapes back: on tfjs-node each reshape is a
// TensorFlow op with a shape-tensor upload, so a 2-D product costs four ops (~20 µs each), which
// is most of a serving adaptation step at MeLU size. `MatMul` takes the transpose flags natively.
// On the other backends `matMul2d` is `tf.matMul` (their reshapes are free).

const KERNEL_NAME = 'MetarecMatMul2D';

const kernel: KernelConfig = {
  kernelName: KERNEL_NAME,
  backendName: 'tensorflow',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const tfe = tfeBackend(backend, KERNEL_NAME);
    const a = inputs['a'] as TensorInfo;
    const b = inputs['b'] as TensorInfo;
    const { binding } = tfe;
    return tfe.executeSingleOutput(
      'MatMul',
      [
        floatTypeAttr(tfe),
        { name: 'transpose_a', type: binding.TF_ATTR_BOOL, value: (attrs as NamedAttrMap)['transposeA'] === true },
        { name: 'transpose_b', type: binding.TF_ATTR_BOOL, value: (attrs as NamedAttrMap)['transposeB'] === true },
      ],
      [a, b],
    );
  },
};

/** C = op(A)·op(B): dA = dy·op(B)ᵀ, dB = op(A)ᵀ·dy, transposed back where a flag is set. Differentiable ops only. */
const gradient: GradConfig = {
  kernelName: KERNEL_NAME,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs: NamedAttrMap) => {
    const [a, b] = saved as [tf.Tensor2D, tf.Tensor2D];
    const g = dy as tf.Tensor2D;
    const tA = attrs['transposeA'] === true;
    const tB = attrs['transposeB'] === true;
    return {
      a: () => (tA ? matMul2d(b, g, tB, true) : matMul2d(g, b, false, !tB)),
      b: () => (tB ? matMul2d(g, a, true, tA) : matMul2d(a, g, !tA, false)),
    };
  },
};

/** Registers the kernel (tensorflow backend) and its gradient. Idempotent. @returns true when this call registered them. */
export function registerMatMul2dKernel(): boolean {
  if (tf.getKernel(KERNEL_NAME, 'tensorflow') !== undefined) {
    return false;
  }
  tf.registerKernel(kernel);
  tf.registerGradient(gradient);
  return true;
}

/** `op(a)·op(b)` for float32 matrices: one TensorFlow MatMul on tensorflow, `tf.matMul` elsewhere. */
export function matMul2d(a: tf.Tensor2D, b: tf.Tensor2D, transposeA = false, transposeB = false): tf.Tensor2D {
  if (!onTensorflowBackend() || a.dtype !== 'float32' || b.dtype !== 'float32' || tf.getKernel(KERNEL_NAME, 'tensorflow') === undefined) {
    return tf.matMul(a, b, transposeA, transposeB);
  }
  const inner = [transposeA ? a.shape[0] : a.shape[1], transposeB ? b.shape[1] : b.shape[0]];
  if (a.rank !== 2 || b.rank !== 2 || inner[0] !== inner[1]) {
    throw new Error(`matMul2d: inner dimensions differ: ${JSON.stringify(a.shape)}${transposeA ? 'ᵀ' : ''} · ${JSON.stringify(b.shape)}${transposeB ? 'ᵀ' : ''}`);
  }
  return tf.engine().runKernel(KERNEL_NAME, { a, b }, { transposeA, transposeB }) as tf.Tensor2D;
}

/**
 * `act(a·w + bias)` off or on a tape: on tensorflow one MatMul, one Add and the activation (tfjs-node's
 * fused matMul is a composite of six ops there); elsewhere `tf.fused.matMul`.
 */
export function denseLayer(a: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor, activation: 'relu' | 'linear'): tf.Tensor2D {
  if (!onTensorflowBackend()) {
    return tf.fused.matMul({ a, b: w, bias, activation }) as tf.Tensor2D;
  }
  const z = tf.add(matMul2d(a, w), bias) as tf.Tensor2D;
  return activation === 'relu' ? tf.relu(z) : z;
}
