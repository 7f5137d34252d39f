import * as tf from '@tensorflow/tfjs';

/** Time spent in one kernel name over a profiled call. */
export interface KernelTotal {
  readonly kernel: string;
  readonly calls: number;
  /** Sum of the kernels' own times (ms) as the backend reports them. */
  readonly ms: number;
}

/** Result of {@link profileKernels}. */
export interface KernelProfile {
  /** Wall time of the whole call (ms), JS overhead and tape bookkeeping included. */
  readonly wallMs: number;
  /** Sum over kernels (ms); `wallMs - kernelMs` is time outside kernels. */
  readonly kernelMs: number;
  readonly newTensors: number;
  readonly peakBytes: number;
  /** Per kernel name, most expensive first. */
  readonly kernels: readonly KernelTotal[];
}

/**
 * Runs `fn` under `tf.profile` and sums kernel time by kernel name: where a meta-step's time goes.
 * Profiling slows every kernel a little (it times each); compare shares, not absolute figures.
 */
export async function profileKernels(fn: () => void): Promise<KernelProfile> {
  const t0 = performance.now();
  const info = await tf.profile(() => {
    fn();
    return [];
  });
  const wallMs = performance.now() - t0;
  const totals = new Map<string, { calls: number; ms: number }>();
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const t = totals.get(k.name) ?? { calls: 0, ms: 0 };
    t.calls += 1;
    t.ms += ms;
    totals.set(k.name, t);
  }
  const kernels = [...totals.entries()].map(([kernel, t]) => ({ kernel, ...t })).sort((a, b) => b.ms - a.ms);
  return { wallMs, kernelMs: kernels.reduce((a, k) => a + k.ms, 0), newTensors: info.newTensors, peakBytes: info.peakBytes, kernels };
}
