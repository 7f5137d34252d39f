import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from './select-backend.js';
import { isSegmentSumKernelRegistered, registerSegmentSumKernel, restoreSegmentSumKernel, segmentSumInto } from './segment-sum-kernel.js';

// gradient of sum(gather(table, ids)²) w.r.t. the table: what every embedding lookup needs.
function gatherGrad(table: tf.Tensor, ids: tf.Tensor): Float32Array {
  const g = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.gather(t, ids).square().sum())(table));
  const values = g.dataSync() as Float32Array;
  g.dispose();
  return values;
}

// Ground truth without tfjs: d/dT sum(T[ids]²) = 2 T[i] summed over every occurrence of i.
function expectedGatherGrad(table: Float32Array, ids: number[], dim: number): Float32Array {
  const out = new Float32Array(table.length);
  for (const i of ids) {
    for (let c = 0; c < dim; c++) {
      out[i * dim + c] += 2 * table[i * dim + c];
    }
  }
  return out;
}

function fixture(rows: number, dim: number, n: number): { table: tf.Tensor; ids: tf.Tensor; idList: number[]; values: Float32Array } {
  const values = Float32Array.from({ length: rows * dim }, (_, k) => Math.sin(k * 0.37));
  const idList = Array.from({ length: n }, (_, k) => (k * 7919) % rows); // repeats when n > rows
  return { table: tf.tensor2d(values, [rows, dim]), ids: tf.tensor1d(idList, 'int32'), idList, values };
}

describe('UnsortedSegmentSum loop kernel', () => {
  beforeAll(async () => {
    await selectBackend({ preferred: 'wasm' });
  });
  afterAll(() => {
    registerSegmentSumKernel('wasm');
    registerSegmentSumKernel('cpu');
  });

  it('canary: tfjs-backend-wasm 4.22 has no UnsortedSegmentSum, so the gradient of gather throws', async () => {
    restoreSegmentSumKernel('wasm');
    await tf.setBackend('wasm');
    const { table, ids } = fixture(50, 4, 20);
    // When this stops throwing, upstream added the kernel: compare its speed with ours (tools/bench gather-grad).
    expect(() => gatherGrad(table, ids)).toThrow("Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'");
    expect(registerSegmentSumKernel('wasm')).toBe(true);
    expect(registerSegmentSumKernel('wasm')).toBe(false); // idempotent
  });

  it('gives the gather gradient on wasm equal to the analytic one and to the cpu backend', async () => {
    const { table, ids, idList, values } = fixture(300, 8, 700);
    await tf.setBackend('wasm');
    const wasm = gatherGrad(table, ids);
    await tf.setBackend('cpu');
    const cpuOurs = gatherGrad(table, ids);
    restoreSegmentSumKernel('cpu');
    const cpuBuiltin = gatherGrad(table, ids);
    registerSegmentSumKernel('cpu');
    const expected = expectedGatherGrad(values, idList, 8);
    for (const got of [wasm, cpuOurs, cpuBuiltin]) {
      expect(Array.from(got).every((v, k) => Math.abs(v - expected[k]) < 1e-5)).toBe(true);
    }
  });

  it('handles multi-dimensional segment ids, int32 values and drops out-of-range ids', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2], 'int32');
    const ids = tf.tensor2d([[0, 2], [-1, 2]], [2, 2], 'int32');
    // the op's type says Tensor1D, TensorFlow semantics (and the kernel) accept any prefix shape.
    const out = tf.unsortedSegmentSum(x, ids as unknown as tf.Tensor1D, 3);
    expect(out.dtype).toBe('int32');
    expect(out.shape).toEqual([3, 2]);
    expect(Array.from(out.dataSync())).toEqual([1, 2, 0, 0, 3 + 7, 4 + 8]);
    const plain = new Float32Array(4);
    segmentSumInto([1, 1, 5, 5, 9, 9], [1, 7, 1], 2, 2, plain);
    expect(Array.from(plain)).toEqual([0, 0, 10, 10]);
  });

  it('keeps the tensor count flat and takes milliseconds on an 8,000×32 table (timing printed, not asserted)', async () => {
    await tf.setBackend('wasm');
    const { table, ids } = fixture(8000, 32, 512);
    gatherGrad(table, ids);
    const before = tf.memory().numTensors;
    const t0 = performance.now();
    for (let k = 0; k < 20; k++) {
      gatherGrad(table, ids);
    }
    console.log(`gather grad 8000x32, 512 ids, wasm + loop kernel: ${((performance.now() - t0) / 20).toFixed(2)} ms/call`);
    expect(tf.memory().numTensors).toBe(before);
    expect(isSegmentSumKernelRegistered('wasm')).toBe(true);
  });
});
