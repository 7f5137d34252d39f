// TensorFlow sizes its two thread pools from TF_NUM_INTRAOP_THREADS / TF_NUM_INTEROP_THREADS when
// its first eager context is created (on importing tfjs-node), else from the machine's core count,
// not the pod's CPU limit. metarec's ops are small (a meta-step is ~900 ops on [32, 16, 64]-size
// tensors; serving ranks ~1,000 items): handing each to a pool costs more than it saves. Measured on
// a 2-core machine: a [32,16,64]·[32,64,64] batched product 172 µs with the default pools, 70 µs
// with one thread; the MeLU-size second-order meta-step 71 → 66 ms, task by task 1,024 → 754 ms.
// So one thread each unless the deployment sets TensorFlow's own variables.
// TF_ENABLE_ONEDNN_OPTS: TensorFlow's x86 wheels route MatMul/BatchMatMul through oneDNN, which
// builds (JIT-compiles) a primitive for every new operand shape: 2–20 ms on first sight of a shape,
// and meta-training sees new shapes all the time (task sizes vary). Measured on ML-100K (metarec-eval,
// meta_best, one seed, new users): fit 25 s with oneDNN, 17 s without; on the fixed-shape MeLU bench
// the two are within 5%. So off unless the deployment sets it.

/** TensorFlow's own environment variables for its pools. */
export const TF_THREAD_ENV = { intraOp: 'TF_NUM_INTRAOP_THREADS', interOp: 'TF_NUM_INTEROP_THREADS', oneDnn: 'TF_ENABLE_ONEDNN_OPTS' } as const;

/** The pool sizes in effect after {@link applyTensorflowThreadDefaults}. */
export interface TensorflowThreads {
  readonly intraOp: number;
  readonly interOp: number;
  /** Whether MatMul runs through oneDNN (TF_ENABLE_ONEDNN_OPTS). */
  readonly oneDnn: boolean;
  /** True when the deployment set a thread count itself. */
  readonly fromEnv: boolean;
}

function parseThreads(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`${name} must be an integer >= 0 (0 = TensorFlow's choice), got "${value}"`);
  }
  return n;
}

/**
 * Sets both thread variables to 1 and TF_ENABLE_ONEDNN_OPTS to 0 where unset, before tfjs-node is imported (later changes have no effect).
 * @throws Error when a set value is not an integer >= 0.
 */
export function applyTensorflowThreadDefaults(env: Record<string, string | undefined>): TensorflowThreads {
  const intra = env[TF_THREAD_ENV.intraOp];
  const inter = env[TF_THREAD_ENV.interOp];
  env[TF_THREAD_ENV.intraOp] = String(intra === undefined || intra === '' ? 1 : parseThreads(TF_THREAD_ENV.intraOp, intra));
  env[TF_THREAD_ENV.interOp] = String(inter === undefined || inter === '' ? 1 : parseThreads(TF_THREAD_ENV.interOp, inter));
  const oneDnn = env[TF_THREAD_ENV.oneDnn];
  if (oneDnn === undefined || oneDnn === '') {
    env[TF_THREAD_ENV.oneDnn] = '0';
  } else if (oneDnn !== '0' && oneDnn !== '1') {
    throw new Error(`${TF_THREAD_ENV.oneDnn} must be 0 or 1, got "${oneDnn}"`);
  }
  return {
    intraOp: Number(env[TF_THREAD_ENV.intraOp]),
    interOp: Number(env[TF_THREAD_ENV.interOp]),
    oneDnn: env[TF_THREAD_ENV.oneDnn] === '1',
    fromEnv: (intra ?? '') !== '' || (inter ?? '') !== '',
  };
}
