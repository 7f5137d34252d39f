import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelConfig, TensorInfo } from '@tensorflow/tfjs';

import { floatTypeAttr, onTensorflowBackend, tfeBackend } from './tfe-backend.js';

// The relu derivative applied to an upstream gradient, `dy ⊙ [x > 0]`, in hand-written backward
// passes (serving's inner loop, the meta-step's stacked inner loop). On tensorflow it is one
// TensorFlow ReluGrad op instead of relu + sign + multiply (three ops at ~20 µs each, whatever
// the size); elsewhere `dy · step(x)`. Its own gradient (for second-order MAML, where the loop runs
// on the outer tape): ∂/∂dy = ReluGrad(ddy, x), ∂/∂x = 0 (relu's second derivative, almost everywhere).

const KERNEL_NAME = 'MetarecReluGrad';

const kernel: KernelConfig = {
  kernelName: KERNEL_NAME,
  backendName: 'tensorflow',
  kernelFunc: ({ inputs, backend }) => {
    const tfe = tfeBackend(backend, KERNEL_NAME);
    return tfe.executeSingleOutput('ReluGrad', [floatTypeAttr(tfe)], [inputs['dy'] as TensorInfo, inputs['x'] as TensorInfo]);
  },
};

const gradient: GradConfig = {
  kernelName: KERNEL_NAME,
  inputsToSave: ['x'],
  gradFunc: (ddy, saved) => {
    const [x] = saved;
    return { dy: () => reluGrad(ddy as tf.Tensor, x), x: () => tf.zerosLike(x) };
  },
};

/** Registers the kernel (tensorflow backend) and its gradient. Idempotent. @returns true when this call registered them. */
export function registerReluGradKernel(): boolean {
  if (tf.getKernel(KERNEL_NAME, 'tensorflow') !== undefined) {
    return false;
  }
  tf.registerKernel(kernel);
  tf.registerGradient(gradient);
  return true;
}

/** `dy ⊙ [x > 0]` for float32 tensors of one shape: one op on tensorflow, `dy · step(x)` elsewhere. */
export function reluGrad<T extends tf.Tensor>(dy: T, x: tf.Tensor): T {
  if (!onTensorflowBackend() || tf.getKernel(KERNEL_NAME, 'tensorflow') === undefined) {
    return tf.mul(dy, tf.step(x));
  }
  if (dy.dtype !== 'float32' || x.dtype !== 'float32' || dy.shape.length !== x.shape.length || dy.shape.some((d, i) => d !== x.shape[i])) {
    throw new Error(`reluGrad: dy ${JSON.stringify(dy.shape)} ${dy.dtype} and x ${JSON.stringify(x.shape)} ${x.dtype} must be float32 of one shape`);
  }
  return tf.engine().runKernel(KERNEL_NAME, { dy, x }) as T;
}
