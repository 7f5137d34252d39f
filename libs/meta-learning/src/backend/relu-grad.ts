import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelConfig, TensorInfo } from '@tensorflow/tfjs';

// The relu derivative applied to an upstream gradient, `dy ⊙ [x > 0]`, in hand-written backward
// passes (serving's inner loop, the meta-step's stacked inner loop). On tensorflow it is one
// TensorFlow ReluGrad op instead of relu + sign + multiply (three ops at ~20 µs each, whatever
// the size); elsewhere `dy · step(x)`. Its own gradient (for second-order MAML, where the loop runs
// on the outer tape): ∂/∂dy = ReluGrad(ddy, x), ∂/∂x = 0 (relu's second derivative, almost everywhere).

const KERNEL_NAME = 'MetarecReluGrad';

interface TfeBackend {
  readonly binding: { readonly TF_ATTR_TYPE: number; readonly TF_FLOAT: number };
  executeSingleOutput(name: string, attrs: ReadonlyArray<{ name: string; type: number; value: unknown }>, inputs: TensorInfo[]): TensorInfo;
}

function isTfeBackend(b: unknown): b is TfeBackend {
  const o = b as Partial<TfeBackend> | null;
  return typeof o?.executeSingleOutput === 'function' && typeof o.binding?.TF_ATTR_TYPE === 'number';
}

const kernel: KernelConfig = {
  kernelName: KERNEL_NAME,
  backendName: 'tensorflow',
  kernelFunc: ({ inputs, backend }) => {
    if (!isTfeBackend(backend)) {
      throw new Error(`${KERNEL_NAME}: the tensorflow backend does not expose executeSingleOutput`);
    }
    const { binding } = backend;
    return backend.executeSingleOutput('ReluGrad', [{ name: 'T', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT }], [inputs['dy'] as TensorInfo, inputs['x'] as TensorInfo]);
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
  if (tf.getBackend() !== 'tensorflow' || tf.getKernel(KERNEL_NAME, 'tensorflow') === undefined) {
    return tf.mul(dy, tf.step(x));
  }
  if (dy.dtype !== 'float32' || x.dtype !== 'float32' || dy.shape.length !== x.shape.length || dy.shape.some((d, i) => d !== x.shape[i])) {
    throw new Error(`reluGrad: dy ${JSON.stringify(dy.shape)} ${dy.dtype} and x ${JSON.stringify(x.shape)} ${x.dtype} must be float32 of one shape`);
  }
  return tf.engine().runKernel(KERNEL_NAME, { dy, x }) as T;
}
