import { Worker } from 'node:worker_threads';

/** How much parallel CPU this process can get right now (other load on the box takes the rest). */
export interface CpuProbe {
  /** Wall time of one thread's fixed pure-JS spin, ms. */
  readonly oneThreadMs: number;
  /** Wall time of the same spin on two threads at once, ms. */
  readonly twoThreadsMs: number;
  /** 2 × one / two: 2.0 means two free cores, 1.0 means the box gives this process one core's worth. */
  readonly twoThreadSpeedup: number;
}

// A fixed arithmetic loop (no memory traffic, no allocation): scales with free cores only.
const SPIN = `
const { parentPort, workerData } = require('node:worker_threads');
let x = 0;
for (let i = 0; i < workerData; i++) { x = (x * 1.0000001 + i) % 1e9; }
parentPort.postMessage(x);
`;

function spin(threads: number, iterations: number): Promise<number> {
  const start = performance.now();
  return Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(SPIN, { eval: true, workerData: iterations });
          w.once('message', () => {
            resolve();
            void w.terminate();
          });
          w.once('error', reject);
        }),
    ),
  ).then(() => performance.now() - start);
}

/** Spins one then two threads (`iterations` each, ~0.5 s per thread on a free core at the default) and compares. */
export async function probeCpu(iterations = 60_000_000): Promise<CpuProbe> {
  const oneThreadMs = await spin(1, iterations);
  const twoThreadsMs = await spin(2, iterations);
  return { oneThreadMs, twoThreadsMs, twoThreadSpeedup: (2 * oneThreadMs) / twoThreadsMs };
}
