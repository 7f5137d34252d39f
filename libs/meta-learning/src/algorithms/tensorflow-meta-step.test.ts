import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { type BackendLogger, selectBackend } from '../backend/select-backend.js';
import { isSegmentSumKernelRegistered } from '../backend/segment-sum-kernel.js';
import { probeTensorflowBackend } from '../testing/tensorflow-backend-gate.js';

// The production backend, tensorflow (tfjs-node on TensorFlow's C library), as selectBackend sets it
// up: chosen and logged, its native kernels kept. The meta-gradient checks (finite differences,
// Meta-SGD, leaks) run on tensorflow with the whole suite (`test-tensorflow`: meta-step.test.ts,
// reptile-and-leaks.test.ts); parity with cpu and wasm is cross-backend.test.ts. Skipped where the
// addon is not built; METAREC_REQUIRE_TENSORFLOW=1 (CI) makes that a failure.
const tensorflow = await probeTensorflowBackend();

if (!tensorflow.available) {
  describe('metaStep on the tensorflow backend', () => {
    it.skip(`skipped: ${tensorflow.detail}`, () => undefined);
  });
}

describe.runIf(tensorflow.available)('metaStep on the tensorflow backend', () => {
  const lines: string[] = [];
  const logger: BackendLogger = { info: (m) => lines.push(m), warn: (m) => lines.push(`warn: ${m}`) };

  beforeAll(async () => {
    await selectBackend({ preferred: 'tensorflow', logger });
  });

  it('runs on tensorflow, chosen and logged by selectBackend', async () => {
    expect(tf.getBackend()).toBe('tensorflow');
    // The thread pools in the label: one each unless the environment set TensorFlow's variables.
    expect(lines.some((l) => /^tfjs backend: tensorflow \(\d+ intra-op \/ \d+ inter-op threads, oneDNN (on|off)\), as preferred$/.test(l))).toBe(true);
    // Unset preference: tensorflow is the best available backend once the addon is built.
    const best = await selectBackend();
    expect(best.name).toBe('tensorflow');
    expect(best.attempts).toEqual([{ name: 'tensorflow', outcome: 'selected' }]);
  });

  it('keeps its native UnsortedSegmentSum: the loop kernel selectBackend installs is for wasm and cpu only', () => {
    expect(isSegmentSumKernelRegistered('cpu')).toBe(true);
    const native = tf.getKernel(tf.UnsortedSegmentSum, 'tensorflow');
    expect(native).toBeDefined();
    expect(native?.kernelFunc).not.toBe(tf.getKernel(tf.UnsortedSegmentSum, 'cpu')?.kernelFunc);
    expect(tf.getKernel(tf.BatchMatMul, 'tensorflow')?.kernelFunc).not.toBe(tf.getKernel(tf.BatchMatMul, 'wasm')?.kernelFunc);
  });
});
