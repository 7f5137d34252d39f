// One meta-step of the MeLU-size problem (lookups, 5 inner steps per task, meta-gradient, clamp ±10,
// Adam), second order (MAML) and first order (FOMAML), tasks stacked (metaStep's default `batchTasks`)
// and task by task (`batchTasks: false`), on wasm and, for reference, cpu.
// Figures: process CPU time per step (process.cpuUsage deltas) and wall time; loadavg is in the JSON.
// Run: npx tsx --conditions=@metarec/source tools/bench/src/meta-step.ts [--steps 20] [--cpu-steps 3]
import { Command } from 'commander';

import { applyUpdate, type BackendName, createOptimizerState, type MetaAlgorithm, liveTensorCount, metaStep, parseBackendName, selectBackend } from '@metarec/meta-learning';

import { timingStats, type TimingStats } from './bench-stats.js';
import { benchEnvironment, printTable, stderrLogger, writeResult } from './bench-report.js';
import { MELU_BENCH, meluBenchModel, metaBatchPool } from './melu-bench-setup.js';

const opts = new Command('meta-step')
  .option('--steps <n>', 'timed meta-steps per mode on each of --backends', (v) => Number(v), 20)
  .option('--backends <list>', 'comma-separated: tensorflow, wasm', 'tensorflow,wasm')
  .option('--warmup <n>', 'untimed meta-steps first', (v) => Number(v), 5)
  .option('--cpu-steps <n>', 'timed meta-steps on cpu (0 = skip)', (v) => Number(v), 3)
  .option('--out <name>', 'results file name (compare-reference uses its own, so parallel runs do not mix)', 'meta-step')
  .parse()
  .opts<{ steps: number; warmup: number; cpuSteps: number; backends: string; out: string }>();

/** Targets from the issue (ms, median): PyTorch task-by-task figures rounded down. */
const TARGETS_MS: Record<MetaAlgorithm, number> = { maml: 290, fomaml: 130, reptile: Number.NaN };

interface ModeResult extends TimingStats {
  readonly backend: string;
  /** `stacked`: metaStep's `batchTasks: true` (like the reference's batched mode); `loop`: task by task. */
  readonly tasks: 'stacked' | 'loop';
  /** Process CPU time (user + system, `process.cpuUsage()` deltas) per meta-step: the honest figure on a shared, loaded machine. */
  readonly cpu: TimingStats;
  readonly algorithm: MetaAlgorithm;
  readonly tasksPerSec: number;
  readonly meanQueryLoss: number;
  readonly tensorsLeaked: number;
}

function runMode(backend: string, algorithm: MetaAlgorithm, tasks: 'stacked' | 'loop', warmup: number, steps: number): ModeResult {
  const { model, params: init } = meluBenchModel(0);
  const pool = metaBatchPool(model);
  let params = init;
  let state = createOptimizerState(model.layout);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const losses: number[] = [];
  let tensorsBefore = 0;
  for (let k = 0; k < warmup + steps; k++) {
    if (k === warmup) {
      tensorsBefore = liveTensorCount();
    }
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = metaStep(model, params, pool[k % pool.length], { algorithm, innerSteps: MELU_BENCH.innerSteps, innerLr: MELU_BENCH.innerLr, batchTasks: tasks === 'stacked' });
    const u = applyUpdate(params, state, r.gradient, { lr: MELU_BENCH.outerLr, clipValue: MELU_BENCH.clipValue });
    params = u.params;
    state = u.state;
    if (k >= warmup) {
      times.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpuTimes.push((c.user + c.system) / 1000);
      losses.push(r.loss);
    }
  }
  const stats = timingStats(times);
  return {
    backend,
    tasks,
    algorithm,
    ...stats,
    cpu: timingStats(cpuTimes),
    tasksPerSec: Math.round((MELU_BENCH.metaBatch * 1000 * 10) / stats.p50_ms) / 10,
    meanQueryLoss: losses.reduce((a, b) => a + b, 0) / Math.max(1, losses.length),
    tensorsLeaked: liveTensorCount() - tensorsBefore,
  };
}

const env = benchEnvironment();
const results: ModeResult[] = [];
const plan: Array<[BackendName, number, number]> = [
  ...opts.backends.split(',').map((b): [BackendName, number, number] => [parseBackendName(b.trim(), '--backends'), opts.steps, opts.warmup]),
  ['cpu', opts.cpuSteps, 1],
];
for (const [backend, steps, warmup] of plan) {
  if (steps <= 0) {
    continue;
  }
  const sel = await selectBackend({ preferred: backend, logger: stderrLogger });
  for (const tasks of ['stacked', 'loop'] as const) {
    for (const algorithm of ['maml', 'fomaml'] as const) {
      const r = runMode(sel.name, algorithm, tasks, warmup, steps);
      console.error(`${backend} ${tasks} ${algorithm}: median ${r.p50_ms} wall-ms (${r.cpu.p50_ms} cpu-ms), p90 ${r.p90_ms} ms`);
      results.push(r);
    }
  }
}
printTable(
  `meta-step, MeLU size (${MELU_BENCH.metaBatch} tasks × ${MELU_BENCH.support}+${MELU_BENCH.query}, ${MELU_BENCH.innerSteps} inner steps) (ms)`,
  ['backend', 'tasks', 'order', 'n', 'cpu p50', 'cpu p90', 'wall p50', 'wall p90', 'tasks/s (wall)', 'target', 'leaked tensors'],
  results.map((r) => [r.backend, r.tasks, r.algorithm === 'maml' ? 'second' : 'first', r.n, r.cpu.p50_ms, r.cpu.p90_ms, r.p50_ms, r.p90_ms, r.tasksPerSec, r.backend !== 'cpu' ? `≤ ${TARGETS_MS[r.algorithm]}` : '-', r.tensorsLeaked]),
);
console.log(`\nwrote ${writeResult(opts.out, env, {
  config: MELU_BENCH,
  note: 'cpu = process CPU ms (user+system) per step, the honest figure while the 2-core machine is shared; wall = performance.now()',
  modes: results,
  targetsMs: TARGETS_MS,
})}`);
