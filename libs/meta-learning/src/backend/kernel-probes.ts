import * as tf from '@tensorflow/tfjs';

import { isWasmMatMulKernelRegistered, registerWasmMatMulKernel, restoreWasmMatMulKernel } from './wasm-mat-mul-kernel.js';
import { isSegmentSumKernelRegistered, registerSegmentSumKernel, restoreSegmentSumKernel, type SegmentSumBackendName } from './segment-sum-kernel.js';

// Micro-benchmarks of the tfjs defects the runtime works around, run on the active backend.
// They live here because only this lib may import @tensorflow/*; tools/bench prints them.

/** Milliseconds of each repetition, in order. */
export type Timings = readonly number[];

/** Common options of the probes. */
export interface ProbeOptions {
  /** Timed repetitions after warm-up. @defaultValue 20 */
  readonly repeats?: number;
  /** Untimed repetitions first. @defaultValue 3 */
  readonly warmup?: number;
  /** Clock in ms. @defaultValue performance.now */
  readonly now?: () => number;
}

function timeIt(fn: () => void, o: ProbeOptions): number[] {
  const now = o.now ?? ((): number => performance.now());
  for (let k = 0; k < (o.warmup ?? 3); k++) {
    fn();
  }
  const out: number[] = [];
  for (let k = 0; k < (o.repeats ?? 20); k++) {
    const t0 = now();
    fn();
    out.push(now() - t0);
  }
  return out;
}

/** Runs `fn` under tidy and reads the result outside it (the fast way, see {@link probeTidyDataSync}). */
function run(fn: () => tf.Tensor): void {
  const y = tf.tidy(fn);
  y.dataSync();
  y.dispose();
}

/** Result of {@link probeGatherGrad} on one backend. */
export interface GatherGradProbe {
  readonly backend: string;
  readonly shape: { readonly rows: number; readonly dim: number; readonly ids: number };
  /** Gradient of `sum(gather(table, ids)²)` w.r.t. the table, with our loop kernel. */
  readonly loopKernelGradMs: Timings;
  /** `tf.unsortedSegmentSum` alone ([ids, dim] into rows segments), our kernel. */
  readonly loopKernelOnlyMs: Timings;
  /** The backend's own kernel: its timings, or why it could not run. */
  readonly builtin: { readonly status: 'missing'; readonly error: string } | { readonly status: 'ran'; readonly gradMs: Timings };
}

/** Options of {@link probeGatherGrad}. */
export interface GatherGradProbeOptions extends ProbeOptions {
  /** @defaultValue 8000 (MeLU size: 8 fields × 1,000 ids) */
  readonly rows?: number;
  /** @defaultValue 32 */
  readonly dim?: number;
  /** Looked-up rows, e.g. a meta-batch's 32 tasks × 16 rows. @defaultValue 512 */
  readonly ids?: number;
  /** Timed runs of the built-in kernel (seconds each on cpu). @defaultValue 1 */
  readonly builtinRepeats?: number;
}

/** Times the embedding-lookup gradient with our `UnsortedSegmentSum` and with the backend's own (wasm or cpu). */
export function probeGatherGrad(options: GatherGradProbeOptions = {}): GatherGradProbe {
  const backend = tf.getBackend() as SegmentSumBackendName;
  const rows = options.rows ?? 8000;
  const dim = options.dim ?? 32;
  const n = options.ids ?? 512;
  const table = tf.randomNormal([rows, dim], 0, 1, 'float32', 7);
  const ids = tf.tensor1d(Array.from({ length: n }, (_, k) => (k * 7919) % rows), 'int32');
  const values = tf.randomNormal([n, dim], 0, 1, 'float32', 8);
  const grad = tf.grad((t: tf.Tensor) => tf.gather(t, ids).square().sum());
  const wasOurs = isSegmentSumKernelRegistered(backend);
  try {
    registerSegmentSumKernel(backend);
    const loopKernelGradMs = timeIt(() => run(() => grad(table)), options);
    const loopKernelOnlyMs = timeIt(() => run(() => tf.unsortedSegmentSum(values, ids, rows)), options);
    restoreSegmentSumKernel(backend);
    let builtin: GatherGradProbe['builtin'];
    try {
      builtin = { status: 'ran', gradMs: timeIt(() => run(() => grad(table)), { ...options, warmup: 0, repeats: options.builtinRepeats ?? 1 }) };
    } catch (e) {
      builtin = { status: 'missing', error: e instanceof Error ? e.message : String(e) };
    }
    return { backend, shape: { rows, dim, ids: n }, loopKernelGradMs, loopKernelOnlyMs, builtin };
  } finally {
    if (wasOurs) {
      registerSegmentSumKernel(backend);
    }
    tf.dispose([table, ids, values]);
  }
}

/** One matMul variant's timings. */
export interface MatMulPathTiming {
  readonly name: string;
  /** Shapes as `[..]×[..]`, flags included. */
  readonly shapes: string;
  readonly ms: Timings;
}

/** Options of {@link probeMatMulPaths}. */
export interface MatMulProbeOptions extends ProbeOptions {
  /** Tasks in the meta-batch. @defaultValue 32 */
  readonly tasks?: number;
  /** Rows per task. @defaultValue 16 */
  readonly rows?: number;
  /** Input width. @defaultValue 256 */
  readonly inDim?: number;
  /** Output width. @defaultValue 64 */
  readonly outDim?: number;
}

/**
 * The same FLOPs (tasks × rows × in × out) through each path: one 2-D matMul of all rows,
 * one per task, transposed operands (what matMul's gradient uses), and 3-D batched.
 */
export function probeMatMulPaths(options: MatMulProbeOptions = {}): MatMulPathTiming[] {
  const T = options.tasks ?? 32;
  const R = options.rows ?? 16;
  const I = options.inDim ?? 256;
  const O = options.outDim ?? 64;
  const x = tf.randomNormal([T * R, I], 0, 1, 'float32', 1) as tf.Tensor2D;
  const w = tf.randomNormal([I, O], 0, 1, 'float32', 2) as tf.Tensor2D;
  const xT = tf.transpose(x) as tf.Tensor2D;
  const wT = tf.transpose(w) as tf.Tensor2D;
  const x3 = tf.reshape(x, [T, R, I]) as tf.Tensor3D;
  const w3 = tf.tile(tf.expandDims(w, 0), [T, 1, 1]) as tf.Tensor3D;
  const perTask = tf.split(x, T, 0) as tf.Tensor2D[];
  const dy = tf.randomNormal([T * R, O], 0, 1, 'float32', 3) as tf.Tensor2D;
  const variants: Array<[string, string, () => tf.Tensor]> = [
    ['plain 2-D', `[${T * R},${I}]×[${I},${O}]`, () => tf.matMul(x, w)],
    ['2-D per task', `${T} × [${R},${I}]×[${I},${O}]`, () => tf.concat(perTask.map((p) => tf.matMul(p, w)))],
    ['transposeA (dW = xᵀ·dy)', `[${I},${T * R}]ᵀ×[${T * R},${O}]`, () => tf.matMul(x, dy, true, false)],
    ['explicit transpose then 2-D', `transpose([${T * R},${I}])×[${T * R},${O}]`, () => tf.matMul(tf.transpose(x), dy)],
    ['transposeB (dx = dy·Wᵀ)', `[${T * R},${O}]×[${I},${O}]ᵀ`, () => tf.matMul(dy, w, false, true)],
    ['transposeA on xᵀ', `[${I},${T * R}]ᵀ×[${I},${O}]`, () => tf.matMul(xT, w, true, false)],
    ['transposeB on Wᵀ', `[${T * R},${I}]×[${O},${I}]ᵀ`, () => tf.matMul(x, wT, false, true)],
    ['batched 3-D', `[${T},${R},${I}]×[${T},${I},${O}]`, () => tf.matMul(x3, w3)],
    ['batched 3-D broadcast W', `[${T},${R},${I}]×[1,${I},${O}]`, () => tf.matMul(x3, tf.expandDims(w, 0))],
  ];
  try {
    return variants.map(([name, shapes, fn]) => ({ name, shapes, ms: timeIt(() => run(fn), options) }));
  } finally {
    tf.dispose([x, w, xT, wT, x3, w3, dy, ...perTask]);
  }
}

/** Result of {@link probeMatMulGradient}. */
export interface MatMulGradientProbe {
  /** Value and gradients of MeLU's MLP (256→64→64→1, relu) over `rows` rows, wasm's own BatchMatMul. */
  readonly builtinKernelMs: Timings;
  /** Same with `registerWasmMatMulKernel`'s dispatcher (the backward pass uses transposed products). */
  readonly dispatcherKernelMs: Timings;
  /**
   * Dispatcher kernel, every matMul wrapped in a `tf.customGrad` whose gradient uses explicit
   * `tf.transpose` and plain products (the work-around without the dispatcher).
   */
  readonly customGradExplicitTransposeMs: Timings;
}

/** 2-D product whose gradient is built from explicit transposes and itself (the customGrad work-around). */
const explicitTransposeMatMul = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b] = args as [tf.Tensor2D, tf.Tensor2D];
  (args[2] as tf.GradSaveFunc)([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [explicitTransposeMatMul(dy, tf.transpose(sb)), explicitTransposeMatMul(tf.transpose(sa), dy)];
    },
  };
});

/** Times an MLP's value-and-gradients with wasm's own BatchMatMul and with the dispatcher (wasm only). */
export function probeMatMulGradient(options: ProbeOptions & { readonly rows?: number } = {}): MatMulGradientProbe {
  const rows = options.rows ?? 512;
  const x = tf.randomNormal([rows, 256], 0, 1, 'float32', 21);
  const y = tf.randomNormal([rows, 1], 0, 1, 'float32', 22);
  const ws = [tf.randomNormal([256, 64], 0, 0.1, 'float32', 23), tf.randomNormal([64, 64], 0, 0.1, 'float32', 24), tf.randomNormal([64, 1], 0, 0.1, 'float32', 25)];
  const lossWith =
    (mm: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
    (w0: tf.Tensor, w1: tf.Tensor, w2: tf.Tensor): tf.Scalar =>
      tf.squaredDifference(mm(tf.relu(mm(tf.relu(mm(x, w0)), w1)), w2), y).mean();
  const stepWith = (mm: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor) => (): void => run(() => tf.addN(tf.grads(lossWith(mm))(ws).map((g) => tf.sum(g))));
  const step = stepWith((a, b) => tf.matMul(a, b));
  const wasOurs = isWasmMatMulKernelRegistered();
  try {
    restoreWasmMatMulKernel();
    const builtinKernelMs = timeIt(step, options);
    registerWasmMatMulKernel();
    const dispatcherKernelMs = timeIt(step, options);
    const customGradExplicitTransposeMs = timeIt(stepWith((a, b) => explicitTransposeMatMul(a, b)), options);
    return { builtinKernelMs, dispatcherKernelMs, customGradExplicitTransposeMs };
  } finally {
    if (!wasOurs) {
      restoreWasmMatMulKernel();
    }
    tf.dispose([x, y, ...ws]);
  }
}

/** Result of {@link probeMatMulPaths} with and without the dispatcher. */
export interface MatMulPathsProbe {
  readonly builtinKernel: MatMulPathTiming[];
  readonly dispatcherKernel: MatMulPathTiming[];
}

/** {@link probeMatMulPaths} with wasm's own BatchMatMul, then with the dispatcher (wasm only). */
export function probeMatMulPathsBothKernels(options: MatMulProbeOptions = {}): MatMulPathsProbe {
  const wasOurs = isWasmMatMulKernelRegistered();
  try {
    restoreWasmMatMulKernel();
    const builtinKernel = probeMatMulPaths(options);
    registerWasmMatMulKernel();
    return { builtinKernel, dispatcherKernel: probeMatMulPaths(options) };
  } finally {
    if (!wasOurs) {
      restoreWasmMatMulKernel();
    }
  }
}

/** Result of {@link probeTidyDataSync}. */
export interface TidyDataSyncProbe {
  /** `tf.tidy(() => f().dataSync())`: reading inside the tidy scope. */
  readonly readInsideTidyMs: Timings;
  /** `const y = tf.tidy(f); y.dataSync(); y.dispose()`. */
  readonly readOutsideTidyMs: Timings;
}

/** Times reading a small result inside vs outside `tf.tidy` (a 16×256·256×64 MLP layer). */
export function probeTidyDataSync(options: ProbeOptions = {}): TidyDataSyncProbe {
  const x = tf.randomNormal([16, 256], 0, 1, 'float32', 4);
  const w = tf.randomNormal([256, 64], 0, 1, 'float32', 5);
  const f = (): tf.Tensor => tf.relu(tf.matMul(x, w)).sum();
  try {
    return {
      readInsideTidyMs: timeIt(() => tf.tidy(() => f().dataSync()), options),
      readOutsideTidyMs: timeIt(() => run(f), options),
    };
  } finally {
    tf.dispose([x, w]);
  }
}

/** Live tensors in the engine (`tf.memory().numTensors`): leak checks in benches and soak tests. */
export function liveTensorCount(): number {
  return tf.memory().numTensors;
}
