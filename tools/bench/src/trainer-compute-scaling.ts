// Do two compute threads really run meta-steps in parallel on this machine? Times 16-task MeLU
// shards (the trainer bench's shard) on a ComputePool: one shard at a time on one thread, then two
// shards at once on two threads (what coordinator + 2 workers do). No Redis, no queue.
//   npx tsx --conditions=@metarec/source tools/bench/src/trainer-compute-scaling.ts [--rounds 6]
import os from 'node:os';

import { Command } from 'commander';

import { createMetaModel, initParams } from '@metarec/meta-learning';
import { ComputePool, metaStepOptionsOf, modelConfigOf, parseRunSpec, syntheticTaskSet, type RunSpec } from '@metarec/training';

import { timingStats } from './bench-stats.js';
import { benchEnvironment, printTable, writeResult } from './bench-report.js';
import { MELU_BENCH, meluSyntheticRunSpecParts } from './melu-bench-setup.js';
import { formatProbe, probeCpu } from './trainer-cpu-probe.js';

const opts = new Command('trainer-compute-scaling')
  .option('--rounds <n>', 'timed rounds per configuration (after one warm-up)', (v) => Number(v), 6)
  .option('--algorithm <a>', 'maml | fomaml', 'maml')
  .parse()
  .opts<{ rounds: number; algorithm: 'maml' | 'fomaml' }>();

const spec: RunSpec = parseRunSpec({
  ...meluSyntheticRunSpecParts(MELU_BENCH.metaBatch),
  algorithm: opts.algorithm,
  output: { dir: os.tmpdir() },
});
const set = syntheticTaskSet(spec.data as Extract<RunSpec['data'], { kind: 'synthetic' }>);
const params = initParams(createMetaModel(set.featureLayout, modelConfigOf(spec)));
const half = MELU_BENCH.metaBatch / 2;
const shards = [set.train.slice(0, half), set.train.slice(half)];
const input = (k: number): Parameters<ComputePool['run']>[0] => ({ featureLayout: set.featureLayout, modelConfig: modelConfigOf(spec), params, tasks: shards[k], step: metaStepOptionsOf(spec) });

const env = benchEnvironment();
const cpuBefore = await probeCpu();
const pool = new ComputePool({ threads: 2, backend: 'wasm' });
try {
  await Promise.all([pool.run(input(0)), pool.run(input(1))]);
  const sequential: number[] = [];
  const sequentialThread: number[] = [];
  const parallel: number[] = [];
  const parallelThread: number[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    for (const k of [0, 1]) {
      const t0 = performance.now();
      const out = await pool.run(input(k));
      sequential.push(performance.now() - t0);
      sequentialThread.push(out.computeMs);
    }
    const t0 = performance.now();
    const outs = await Promise.all([pool.run(input(0)), pool.run(input(1))]);
    parallel.push(performance.now() - t0);
    parallelThread.push(...outs.map((o) => o.computeMs));
  }
  const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
  const speedup = (2 * mean(sequential)) / mean(parallel);
  const cpuAfter = await probeCpu();
  printTable(`16-task MeLU shards (${opts.algorithm}) on compute threads; loadavg ${env.loadavgStart.join(' ')}, ${env.cpuCount} cores`, ['figure', 'mean ms'], [
    ['one shard alone, wall', mean(sequential)],
    ['one shard alone, in-thread', mean(sequentialThread)],
    ['two shards at once, wall', mean(parallel)],
    ['two shards at once, in-thread each', mean(parallelThread)],
    ['speed-up of two threads (2 x alone / together)', speedup],
    ['2-thread speed-up of probe kernels, before', formatProbe(cpuBefore)],
    ['2-thread speed-up of probe kernels, after', formatProbe(cpuAfter)],
  ]);
  const file = writeResult('trainer-compute-scaling', env, {
    algorithm: opts.algorithm,
    rounds: opts.rounds,
    shardTasks: half,
    alone: { wall: timingStats(sequential), thread: timingStats(sequentialThread) },
    together: { wall: timingStats(parallel), threadEach: timingStats(parallelThread) },
    twoThreadSpeedup: speedup,
    cpuProbe: { before: cpuBefore, after: cpuAfter },
  });
  console.log(`wrote ${file}`);
} finally {
  await pool.close();
}
