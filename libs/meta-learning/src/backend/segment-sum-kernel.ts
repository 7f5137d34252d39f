import * as tf from '@tensorflow/tfjs';
import type { DataId, DataType, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

import { BackendError } from './backend-error.js';

/** Backends whose `UnsortedSegmentSum` we replace: the only ones tests and benches run on. */
export type SegmentSumBackendName = 'wasm' | 'cpu';

/** What the gradient of `tf.gather` (every embedding lookup) calls: `tf.UnsortedSegmentSum`. */
const KERNEL_NAME = tf.UnsortedSegmentSum;

type Values = Float32Array | Int32Array | Uint8Array;

/** The two calls both the wasm and the cpu backend implement (`KernelBackend.readSync`/`write`). */
interface ReadWriteBackend {
  readSync(dataId: DataId): unknown;
  write(values: Values, shape: number[], dtype: DataType): DataId;
}

/** The wasm backend's heap access: lets the loop read inputs and write its output in place. */
interface HeapBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Values;
}

function isHeapBackend(b: unknown): b is HeapBackend {
  const o = b as Partial<HeapBackend> | null;
  return typeof o?.makeOutput === 'function' && typeof o.typedArrayFromHeap === 'function';
}

function isReadWriteBackend(b: unknown): b is ReadWriteBackend {
  const o = b as Partial<ReadWriteBackend> | null;
  return typeof o?.readSync === 'function' && typeof o.write === 'function';
}

/**
 * `out[ids[r]] += x[r]` row by row, rows of `rowSize` elements; ids outside `[0, numSegments)`
 * are dropped as TensorFlow does. `out` must be zero-filled with `numSegments * rowSize` elements.
 */
export function segmentSumInto(x: ArrayLike<number>, ids: ArrayLike<number>, rowSize: number, numSegments: number, out: Float32Array | Int32Array): void {
  for (let r = 0; r < ids.length; r++) {
    const seg = ids[r];
    if (seg < 0 || seg >= numSegments) {
      continue;
    }
    const src = r * rowSize;
    const dst = seg * rowSize;
    for (let c = 0; c < rowSize; c++) {
      out[dst + c] += x[src + c];
    }
  }
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function invalid(message: string, details: Record<string, unknown>): BackendError {
  return new BackendError('ML_BACKEND_KERNEL_INPUT_INVALID', `UnsortedSegmentSum: ${message}`, details);
}

function checkedInputs(inputs: Record<string, TensorInfo | undefined>, numSegments: unknown): { x: TensorInfo; ids: TensorInfo; numSegments: number } {
  const { x, segmentIds } = inputs;
  if (x === undefined || segmentIds === undefined) {
    throw invalid('inputs x and segmentIds are required', { field: x === undefined ? 'x' : 'segmentIds' });
  }
  if (typeof numSegments !== 'number' || !Number.isInteger(numSegments) || numSegments < 0) {
    throw invalid('attr numSegments must be a non-negative integer', { field: 'numSegments', value: numSegments });
  }
  const lead = x.shape.slice(0, segmentIds.shape.length);
  if (lead.length !== segmentIds.shape.length || lead.some((d, k) => d !== segmentIds.shape[k])) {
    throw invalid(`segmentIds shape [${segmentIds.shape.join(',')}] is not a prefix of x shape [${x.shape.join(',')}]`, { field: 'segmentIds' });
  }
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw invalid(`dtype ${x.dtype} is not supported`, { field: 'x', dtype: x.dtype });
  }
  return { x, ids: segmentIds, numSegments };
}

/**
 * A plain typed-array loop, O(ids × row). tfjs 4.22's cpu kernel loops over the segments and
 * builds a mask tensor for each (O(segments × ids) tensor ops: 22 s for the gradient of a
 * 512-row gather from an 8,000×32 table, measured here); wasm has no kernel at all.
 */
const segmentSumKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  if (!isReadWriteBackend(backend)) {
    throw invalid('the backend lacks readSync/write', { field: 'backend' });
  }
  const { x, ids, numSegments } = checkedInputs(inputs, attrs?.['numSegments']);
  const rowShape = x.shape.slice(ids.shape.length);
  const rowSize = product(rowShape);
  const outShape = [numSegments, ...rowShape];
  if (isHeapBackend(backend)) {
    // wasm: no copies out of and back into the heap. Views are taken after the allocation,
    // which may grow (and so detach) the heap.
    const info = backend.makeOutput(outShape, x.dtype);
    const view = backend.typedArrayFromHeap(info) as Float32Array | Int32Array;
    view.fill(0);
    segmentSumInto(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(ids), rowSize, numSegments, view);
    return info;
  }
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * rowSize) : new Float32Array(numSegments * rowSize);
  const xValues = backend.readSync(x.dataId) as Values;
  const idValues = backend.readSync(ids.dataId) as Values;
  segmentSumInto(xValues, idValues, rowSize, numSegments, out);
  return { dataId: backend.write(out, outShape, x.dtype), shape: outShape, dtype: x.dtype };
};

/** Kernels that were registered before ours replaced them (`null`: none, as on wasm). */
const previous = new Map<SegmentSumBackendName, KernelConfig | null>();

/** True when `backendName`'s `UnsortedSegmentSum` is the loop kernel of this module. */
export function isSegmentSumKernelRegistered(backendName: SegmentSumBackendName): boolean {
  return tf.getKernel(KERNEL_NAME, backendName)?.kernelFunc === segmentSumKernel;
}

/**
 * Registers the loop kernel as `UnsortedSegmentSum` for `backendName`, replacing the built-in
 * one (kept for {@link restoreSegmentSumKernel}). Idempotent: a second call changes nothing.
 * Registration is global to the process and independent of which backend is active.
 * @returns `true` when this call registered it, `false` when it already was.
 */
export function registerSegmentSumKernel(backendName: SegmentSumBackendName): boolean {
  if (isSegmentSumKernelRegistered(backendName)) {
    return false;
  }
  const existing = tf.getKernel(KERNEL_NAME, backendName) ?? null;
  previous.set(backendName, existing);
  if (existing !== null) {
    // unregister first: registerKernel would log an "already registered" warning.
    tf.unregisterKernel(KERNEL_NAME, backendName);
  }
  tf.registerKernel({ kernelName: KERNEL_NAME, backendName, kernelFunc: segmentSumKernel });
  return true;
}

/**
 * Puts back what {@link registerSegmentSumKernel} replaced (nothing on wasm). For canary tests
 * and the before/after benchmark; production code never needs it.
 */
export function restoreSegmentSumKernel(backendName: SegmentSumBackendName): void {
  if (!isSegmentSumKernelRegistered(backendName)) {
    return;
  }
  tf.unregisterKernel(KERNEL_NAME, backendName);
  const old = previous.get(backendName) ?? null;
  if (old !== null) {
    tf.registerKernel(old);
  }
}
