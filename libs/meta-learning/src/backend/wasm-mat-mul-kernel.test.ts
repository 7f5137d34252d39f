import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from './select-backend.js';
import { isWasmMatMulKernelRegistered, registerWasmMatMulKernel, restoreWasmMatMulKernel } from './wasm-mat-mul-kernel.js';

type Case = [number[], number[], boolean, boolean, number[]];
// [M, K, N]: a narrow output and a wide one; by its cost rule the dispatcher swaps operands for some
// flag combinations of each (e.g. [3, 7, 5] with transposeB, [5, 7, 3] with both flags), so both paths run.
const DIMS = [
  [5, 7, 3],
  [3, 7, 5],
];
const shapeA = (batch: number[], t: boolean, [M, K]: number[]): number[] => [...batch, ...(t ? [K, M] : [M, K])];
const shapeB = (batch: number[], t: boolean, [, K, N]: number[]): number[] => [...batch, ...(t ? [N, K] : [K, N])];

const CASES: Case[] = [];
for (const [ba, bb] of [
  [[], []],
  [[4], [4]],
  [[4], [1]],
  [[4], []],
  [[1], [4]],
  [[2, 3], [2, 3]],
  [[2, 3], [1]],
]) {
  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      for (const dims of DIMS) {
        CASES.push([ba, bb, tA, tB, dims]);
      }
    }
  }
}

/** Product computed in plain JS, the reference for both kernels. */
function reference(a: tf.Tensor, b: tf.Tensor, tA: boolean, tB: boolean, [M, K, N]: number[]): Float32Array {
  const av = a.dataSync();
  const bv = b.dataSync();
  const batchA = a.size / (M * K);
  const batchB = b.size / (K * N);
  const batch = Math.max(batchA, batchB);
  const out = new Float32Array(batch * M * N);
  for (let i = 0; i < batch; i++) {
    const oa = (batchA === 1 ? 0 : i) * M * K;
    const ob = (batchB === 1 ? 0 : i) * K * N;
    for (let r = 0; r < M; r++) {
      for (let c = 0; c < N; c++) {
        let s = 0;
        for (let q = 0; q < K; q++) {
          s += av[oa + (tA ? q * M + r : r * K + q)] * bv[ob + (tB ? c * K + q : q * N + c)];
        }
        out[i * M * N + r * N + c] = s;
      }
    }
  }
  return out;
}

describe('wasm BatchMatMul dispatcher to the 2-D fast path', () => {
  beforeAll(async () => {
    await selectBackend({ preferred: 'wasm' });
  });
  afterAll(() => {
    registerWasmMatMulKernel();
  });

  it('is installed by selectBackend, idempotently, and can be restored', () => {
    expect(isWasmMatMulKernelRegistered()).toBe(true);
    expect(registerWasmMatMulKernel()).toBe(false);
    restoreWasmMatMulKernel();
    expect(isWasmMatMulKernelRegistered()).toBe(false);
    expect(registerWasmMatMulKernel()).toBe(true);
  });

  it.each(CASES)('a batch %j × b batch %j, transposeA %s, transposeB %s, [M, K, N] %j: same values and shape as the reference', (ba, bb, tA, tB, dims) => {
    const a = tf.randomNormal(shapeA(ba, tA, dims), 0, 1, 'float32', 1);
    const b = tf.randomNormal(shapeB(bb, tB, dims), 0, 1, 'float32', 2);
    const before = tf.memory().numTensors;
    const got = tf.matMul(a, b, tA, tB);
    restoreWasmMatMulKernel();
    const theirs = tf.matMul(a, b, tA, tB);
    registerWasmMatMulKernel();
    expect(got.shape).toEqual(theirs.shape);
    const want = reference(a, b, tA, tB, dims);
    const values = got.dataSync();
    expect(values.every((v, i) => Math.abs(v - want[i]) < 1e-4)).toBe(true);
    tf.dispose([got, theirs]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });

  it('keeps wasm heap usage flat over repeated batched and transposed products', () => {
    const a = tf.randomNormal([8, 16, 64]);
    const b = tf.randomNormal([8, 64, 32]);
    const shared = tf.randomNormal([1, 64, 32]);
    const run = (): void => {
      tf.dispose([tf.matMul(a, b), tf.matMul(a, shared), tf.matMul(a, shared, false, false), tf.matMul(b, a, true, true), tf.matMul(b, b, true, false)]);
    };
    run();
    const bytes = tf.memory().numBytes;
    const tensors = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds(); // buffers on the wasm heap, temps included
    for (let i = 0; i < 20; i++) {
      run();
    }
    expect(tf.memory().numBytes).toBe(bytes);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
    tf.dispose([a, b, shared]);
  });
});
