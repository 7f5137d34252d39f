import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

import { registerMatMul2dKernel } from './mat-mul-2d.js';
import { registerReluGradKernel } from './relu-grad.js';
import { isTfeBackend } from './tfe-backend.js';

// tfjs-node 4.22 runs two kernels the meta-step calls hundreds of times far slower than needed
// (measured on this machine, [512, 64] float32, one op each):
// - `Step` (every relu gradient) is a tidy of isNaN, greater, ones (a host upload), fill and select:
//   435 µs per call, against 14 µs for one TensorFlow op. Here: Sign(Relu(x)) for alpha 0,
//   which is 0 / 1 and keeps NaN (both ops propagate it), as tfjs's own kernel does.
// - `Cast` to the dtype the tensor already has (tfjs-core's Mul gradient casts dy's partner to
//   float32) runs a real TensorFlow Cast; the cpu and wasm backends return the same data. Here too.
// - `Reshape` to the shape the tensor already has (every Add/Sub/Mul/Div gradient in tfjs-core ends
//   with `reshape(res, x.shape)`, broadcast or not: 280 of them per second-order meta-step) uploads
//   a shape tensor and runs a TensorFlow Reshape. Here it shares the data, as Identity does.
// All are registered for the `tensorflow` backend only; every other case calls tfjs-node's own kernel.

const BACKEND = 'tensorflow';

function replaceKernel(kernelName: string, make: (original: KernelFunc) => KernelFunc): boolean {
  const original = tf.getKernel(kernelName, BACKEND);
  if (original === undefined || (original as KernelConfig & { metarec?: true }).metarec === true) {
    return false;
  }
  tf.unregisterKernel(kernelName, BACKEND);
  const config: KernelConfig & { metarec: true } = { ...original, kernelFunc: make(original.kernelFunc), metarec: true };
  tf.registerKernel(config);
  return true;
}

/** `step(x)` for alpha 0 as two TensorFlow ops; any other alpha goes to tfjs-node's kernel. */
function fastStep(original: KernelFunc): KernelFunc {
  return (args) => {
    const { backend } = args;
    const x = args.inputs['x'] as TensorInfo;
    const alpha = (args.attrs as NamedAttrMap | undefined)?.['alpha'] ?? 0;
    if (alpha !== 0 || x.dtype !== 'float32' || !isTfeBackend(backend)) {
      return original(args);
    }
    const positive = backend.executeSingleInput('Relu', x);
    try {
      return backend.executeSingleInput('Sign', positive);
    } finally {
      backend.disposeData(positive.dataId);
    }
  };
}

/** Same-dtype `cast` shares the input's data (refcounted) instead of copying it in TensorFlow. */
function sameDtypeCast(original: KernelFunc): KernelFunc {
  return (args) => {
    const { backend } = args;
    const x = args.inputs['x'] as TensorInfo;
    const dtype = (args.attrs as NamedAttrMap | undefined)?.['dtype'];
    if (dtype !== x.dtype || !isTfeBackend(backend)) {
      return original(args);
    }
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/** A reshape to the input's own shape shares the input's data (refcounted). */
function sameShapeReshape(original: KernelFunc): KernelFunc {
  return (args) => {
    const { backend } = args;
    const x = args.inputs['x'] as TensorInfo;
    const shape = (args.attrs as NamedAttrMap | undefined)?.['shape'];
    const same = Array.isArray(shape) && shape.length === x.shape.length && shape.every((d, i) => d === x.shape[i]);
    if (!same || !isTfeBackend(backend)) {
      return original(args);
    }
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/**
 * Replaces tfjs-node's `Step`, same-dtype `Cast` and same-shape `Reshape` kernels with the fast forms above
 * and adds the one-op 2-D product (mat-mul-2d.ts) and relu derivative (relu-grad.ts). Idempotent;
 * call after `@tensorflow/tfjs-node` is imported (it registers the originals). Returns the kernels
 * replaced by this call.
 */
export function registerTensorflowKernels(): string[] {
  const replaced: string[] = [];
  if (replaceKernel(tf.Step, fastStep)) {
    replaced.push(tf.Step);
  }
  if (replaceKernel(tf.Cast, sameDtypeCast)) {
    replaced.push(tf.Cast);
  }
  if (replaceKernel(tf.Reshape, sameShapeReshape)) {
    replaced.push(tf.Reshape);
  }
  if (registerMatMul2dKernel()) {
    replaced.push('MetarecMatMul2D');
  }
  if (registerReluGradKernel()) {
    replaced.push('MetarecReluGrad');
  }
  return replaced;
}
