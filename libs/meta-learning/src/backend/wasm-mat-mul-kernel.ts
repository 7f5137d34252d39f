import * as tf from '@tensorflow/tfjs';
import type { DataId, DataType, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

// tfjs-backend-wasm 4.22 sends BatchMatMul to XNNPACK only for a plain 2-D product; a batch
// dimension or a transpose flag takes a scalar C++ loop (measured here: [32,16,256]·[32,256,64]
// ~21× and transposeA/B ~25× the time of the same FLOPs as one plain 2-D product; tools/bench
// matmul-paths). This kernel keeps the fast path for those shapes: it lays each batch element
// out as a plain row-major 2-D product (a JS copy, transposing on the way when flagged) and
// calls the backend's own kernel on it. A left operand multiplying one shared right matrix is
// a single [batch·m, k]·[k, n] product: MAML's first inner step, every task on the same weights.

/** The wasm backend's calls this kernel uses (`BackendWasm`, not exported as a type we can import). */
interface WasmHeapBackend {
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number, values?: Float32Array): TensorInfo;
  disposeData(dataId: DataId): boolean;
}

function product(shape: readonly number[]): number {
  return shape.reduce((x, y) => x * y, 1);
}

/** Matrix `index` of a `[batch, rows, cols]` buffer as a row-major `[rows, cols]` or, transposed, `[cols, rows]` copy. */
function matrix(values: Float32Array, index: number, rows: number, cols: number, transpose: boolean): Float32Array {
  const off = index * rows * cols;
  if (!transpose) {
    return values.slice(off, off + rows * cols);
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out[c * rows + r] = values[off + r * cols + c];
    }
  }
  return out;
}

/**
 * Rough per-element cost (in elements touched) of one batch element of the dispatcher: JS
 * transposes cost 1 per element, XNNPACK's packing of the right operand about 2 (measured on the
 * meta-step's shapes). Direct: transpose flagged operands, pack op(B). Swapped: transpose unflagged
 * operands and the result, pack op(A)ᵀ.
 */
function directCost(m: number, k: number, n: number, tA: boolean, tB: boolean): number {
  return (tA ? m * k : 0) + (tB ? k * n : 0) + 2 * k * n;
}
function swapCost(m: number, k: number, n: number, tA: boolean, tB: boolean): number {
  return (tA ? 0 : m * k) + (tB ? 0 : k * n) + m * n + 2 * m * k;
}

let original: KernelConfig | null = null;

function heapOf(backend: WasmHeapBackend, info: TensorInfo): Float32Array {
  // Re-read after every allocation: wasm memory growth detaches earlier views.
  return backend.typedArrayFromHeap(info) as Float32Array;
}

const fastBatchMatMul: KernelFunc = (args) => {
  const base = original as KernelConfig;
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const tA = args.attrs?.['transposeA'] === true;
  const tB = args.attrs?.['transposeB'] === true;
  const batchA = product(a.shape.slice(0, -2));
  const batchB = product(b.shape.slice(0, -2));
  const sameBatch = batchA === batchB && a.shape.length === b.shape.length && a.shape.slice(0, -2).every((d, k) => d === b.shape[k]);
  const simple = batchB === 1 || (batchA === 1 && b.shape.length === 3) || sameBatch;
  if ((batchA === 1 && batchB === 1 && !tA && !tB) || a.dtype !== 'float32' || b.dtype !== 'float32' || !simple) {
    return base.kernelFunc(args);
  }
  const backend = args.backend as WasmHeapBackend;
  const [ra, ca] = a.shape.slice(-2);
  const [rb, cb] = b.shape.slice(-2);
  const [m, k, n] = [tA ? ca : ra, tA ? ra : ca, tB ? rb : cb];
  if (k !== (tB ? cb : rb)) {
    return base.kernelFunc(args); // let tfjs raise its own shape error
  }
  const outBatch = batchB === 1 ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
  const batch = Math.max(batchA, batchB);
  const outShape = [...outBatch, m, n];
  const attrs = { transposeA: false, transposeB: false };
  const call = (x: TensorInfo, y: TensorInfo): TensorInfo => base.kernelFunc({ inputs: { a: x, b: y }, backend: args.backend, attrs }) as TensorInfo;
  const temps: TensorInfo[] = [];
  try {
    // Same data, another shape: a TensorInfo over the input's dataId (not disposed here).
    const view = (t: TensorInfo, shape: number[]): TensorInfo => ({ dataId: t.dataId, shape, dtype: 'float32' });
    let sharedB: TensorInfo | null = null;
    if (batchB === 1) {
      sharedB = tB ? backend.makeOutput([k, n], 'float32', undefined, matrix(heapOf(backend, b), 0, rb, cb, true)) : view(b, [k, n]);
      if (tB) {
        temps.push(sharedB);
      }
    }
    if (sharedB !== null && !tA) {
      const r = call(view(a, [batch * m, k]), sharedB);
      return { dataId: r.dataId, shape: outShape, dtype: 'float32' };
    }
    const out = backend.makeOutput(outShape, 'float32');
    if (sharedB === null && swapCost(m, k, n, tA, tB) < directCost(m, k, n, tA, tB)) {
      // XNNPACK packs the right operand of every product whose right tensor is new (each batch
      // element here), ~2× the cost per element of a JS copy-transpose (measured on 32 × [16,64]·
      // [64,64]ᵀ: 1.4 vs 0.9 CPU-ms). When it is cheaper, compute Cᵢᵀ = op(B)ᵢᵀ·op(A)ᵢᵀ, which packs
      // op(A)ᵢᵀ instead, and transpose the [n, m] result back on the way out.
      for (let i = 0; i < batch; i++) {
        const x = backend.makeOutput([n, k], 'float32', undefined, matrix(heapOf(backend, b), batchB === 1 ? 0 : i, rb, cb, !tB));
        temps.push(x);
        const y = backend.makeOutput([k, m], 'float32', undefined, matrix(heapOf(backend, a), batchA === 1 ? 0 : i, ra, ca, !tA));
        temps.push(y);
        const r = call(x, y);
        temps.push(r);
        heapOf(backend, out).set(matrix(heapOf(backend, r), 0, n, m, true), i * m * n);
      }
      return out;
    }
    for (let i = 0; i < batch; i++) {
      const x = backend.makeOutput([m, k], 'float32', undefined, matrix(heapOf(backend, a), batchA === 1 ? 0 : i, ra, ca, tA));
      temps.push(x);
      const y = sharedB ?? backend.makeOutput([k, n], 'float32', undefined, matrix(heapOf(backend, b), i, rb, cb, tB));
      if (sharedB === null) {
        temps.push(y);
      }
      const r = call(x, y);
      temps.push(r);
      heapOf(backend, out).set(heapOf(backend, r), i * m * n);
    }
    return out;
  } finally {
    temps.forEach((t) => backend.disposeData(t.dataId));
  }
};

/** True when wasm's BatchMatMul is this module's. */
export function isWasmMatMulKernelRegistered(): boolean {
  return tf.getKernel(tf.BatchMatMul, 'wasm')?.kernelFunc === fastBatchMatMul;
}

/**
 * Replaces wasm's BatchMatMul with the dispatcher above (it keeps the original's setup, which
 * binds the wasm function, and calls the original for every plain 2-D product). Idempotent;
 * `selectBackend` calls it. Needs `@tensorflow/tfjs-backend-wasm` imported first.
 * @returns `true` when this call registered it, `false` when it already was or wasm is not loaded.
 */
export function registerWasmMatMulKernel(): boolean {
  const current = tf.getKernel(tf.BatchMatMul, 'wasm');
  if (current === undefined || current.kernelFunc === fastBatchMatMul) {
    return false;
  }
  original = current;
  tf.unregisterKernel(tf.BatchMatMul, 'wasm');
  tf.registerKernel({ ...current, kernelFunc: fastBatchMatMul });
  return true;
}

/** Puts the wasm backend's own kernel back (canary tests and benchmarks only). */
export function restoreWasmMatMulKernel(): void {
  if (isWasmMatMulKernelRegistered() && original !== null) {
    tf.unregisterKernel(tf.BatchMatMul, 'wasm');
    tf.registerKernel(original);
  }
}
