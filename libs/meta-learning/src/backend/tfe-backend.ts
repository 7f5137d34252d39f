import * as tf from '@tensorflow/tfjs';
import type { DataId, TensorInfo } from '@tensorflow/tfjs';

/** A TensorFlow op attribute as tfjs-node's binding takes it. */
export interface TfeOpAttr {
  readonly name: string;
  readonly type: number;
  readonly value: unknown;
}

/**
 * The part of tfjs-node's NodeJSKernelBackend that metarec's tensorflow kernels call (it is not
 * exported as a type): run a TensorFlow op by name, and share or free a tensor's data.
 */
export interface TfeBackend {
  readonly binding: { readonly TF_ATTR_BOOL: number; readonly TF_ATTR_TYPE: number; readonly TF_FLOAT: number };
  executeSingleOutput(name: string, attrs: readonly TfeOpAttr[], inputs: TensorInfo[]): TensorInfo;
  executeSingleInput(name: string, input: TensorInfo): TensorInfo;
  incRef(dataId: DataId): void;
  disposeData(dataId: DataId): boolean;
}

/** True when `b` is tfjs-node's backend (every method above present). */
export function isTfeBackend(b: unknown): b is TfeBackend {
  const o = b as Partial<TfeBackend> | null;
  return (
    typeof o?.executeSingleOutput === 'function' &&
    typeof o.executeSingleInput === 'function' &&
    typeof o.incRef === 'function' &&
    typeof o.disposeData === 'function' &&
    typeof o.binding?.TF_ATTR_TYPE === 'number'
  );
}

/** `b` as {@link TfeBackend}. @throws Error naming `kernel` when it is not tfjs-node's backend. */
export function tfeBackend(b: unknown, kernel: string): TfeBackend {
  if (!isTfeBackend(b)) {
    throw new Error(`${kernel}: the tensorflow backend does not expose tfjs-node's executeSingleOutput/incRef`);
  }
  return b;
}

/** The `T: float32` attribute of a TensorFlow op. */
export function floatTypeAttr(b: TfeBackend): TfeOpAttr {
  return { name: 'T', type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT };
}

/** Whether tfjs runs on tensorflow now: the code paths that trade ops for arithmetic there ask this. */
export function onTensorflowBackend(): boolean {
  return tf.getBackend() === 'tensorflow';
}
