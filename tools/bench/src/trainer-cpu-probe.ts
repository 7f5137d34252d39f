import { Worker } from 'node:worker_threads';

/** One probe kernel run on one thread, then on two threads at once. */
export interface KernelScaling {
  /** Mean in-thread time of the kernel alone, ms. */
  readonly oneThreadMs: number;
  /** Mean in-thread time of each of two copies run at once, ms. */
  readonly twoThreadsMs: number;
  /** 2 × one / two (wall-free, from in-thread times): 2.0 = no interference between the two threads. */
  readonly twoThreadSpeedup: number;
}

/**
 * How well two threads of this process run side by side right now, for three kinds of work:
 * - `latency`: a dependent scalar chain (needs only a free core: other load on the box shows here);
 * - `fpThroughput`: 8 independent float chains on L1-resident data (shared FP units show here);
 * - `memoryStream`: a strided sweep of a 64 MB array (shared memory bandwidth / last-level cache).
 * A meta-step sits between the last two; the trainer's 2-worker speed-up cannot beat what they allow.
 */
export interface CpuProbe {
  readonly latency: KernelScaling;
  readonly fpThroughput: KernelScaling;
  readonly memoryStream: KernelScaling;
}

// Each kernel prepares its data first and times only the loop (so page faults are not measured).
const KERNELS: Record<keyof CpuProbe, string> = {
  latency: `let x = 0; const t = performance.now(); for (let i = 0; i < 30000000; i++) { x = (x * 1.0000001 + i) % 1e9; } ms = performance.now() - t; sink = x;`,
  fpThroughput: `const a = new Float64Array(2048).map((_, i) => i * 1e-3); let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0; const t = performance.now();
    for (let rep = 0; rep < 30000; rep++) { for (let i = 0; i < 2048; i += 8) { s0 += a[i] * 1.0001; s1 += a[i + 1] * 1.0001; s2 += a[i + 2] * 1.0001; s3 += a[i + 3] * 1.0001; s4 += a[i + 4] * 1.0001; s5 += a[i + 5] * 1.0001; s6 += a[i + 6] * 1.0001; s7 += a[i + 7] * 1.0001; } }
    ms = performance.now() - t; sink = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;`,
  memoryStream: `const a = new Float32Array(16 * 1024 * 1024); a.fill(1); let s = 0; const t = performance.now();
    for (let rep = 0; rep < 10; rep++) { for (let i = 0; i < a.length; i += 16) { a[i] += 1; s += a[i]; } } ms = performance.now() - t; sink = s;`,
};

function runKernel(code: string, threads: number): Promise<number[]> {
  const source = `const { parentPort } = require('node:worker_threads'); let ms = 0; let sink = 0; parentPort.once('message', () => { ${code} parentPort.postMessage([ms, sink]); });`;
  const workers = Array.from({ length: threads }, () => new Worker(source, { eval: true }));
  // Start every copy only once all threads are up, so the copies overlap.
  const ready = workers.map((w) => new Promise<void>((resolve) => w.once('online', () => resolve())));
  return Promise.all(ready).then(() =>
    Promise.all(
      workers.map(
        (w) =>
          new Promise<number>((resolve, reject) => {
            w.once('message', ([ms]: [number, number]) => {
              resolve(ms);
              void w.terminate();
            });
            w.once('error', reject);
            w.postMessage('go');
          }),
      ),
    ),
  );
}

async function scaling(code: string): Promise<KernelScaling> {
  const [oneThreadMs] = await runKernel(code, 1);
  const two = await runKernel(code, 2);
  const twoThreadsMs = (two[0] + two[1]) / 2;
  return { oneThreadMs, twoThreadsMs, twoThreadSpeedup: (2 * oneThreadMs) / twoThreadsMs };
}

/** Runs the three probe kernels (~2-3 s in all on a free box). */
export async function probeCpu(): Promise<CpuProbe> {
  return { latency: await scaling(KERNELS.latency), fpThroughput: await scaling(KERNELS.fpThroughput), memoryStream: await scaling(KERNELS.memoryStream) };
}

/** `latency 1.95, fp 1.60, memory 0.88` */
export function formatProbe(p: CpuProbe): string {
  return `latency ${p.latency.twoThreadSpeedup.toFixed(2)}, fp ${p.fpThroughput.twoThreadSpeedup.toFixed(2)}, memory ${p.memoryStream.twoThreadSpeedup.toFixed(2)}`;
}
