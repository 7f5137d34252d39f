// Serving latency: per user, adapt 5 SGD steps on 20 interactions, then score 1,000 items (lookups
// included), p50/p99 over 1,000 users on wasm; then live tensors and RSS before/after 10,000 calls.
// Run: npx tsx --conditions=@metarec/source tools/bench/src/adapt-score.ts [--users 1000] [--soak 10000]
import { Command } from 'commander';

import { adapt, liveTensorCount, loadParams, score, selectBackend } from '@metarec/meta-learning';

import { timingStats } from './bench-stats.js';
import { benchEnvironment, printTable, stderrLogger, writeResult } from './bench-report.js';
import { MELU_BENCH, meluBenchModel, servingFixture } from './melu-bench-setup.js';

const opts = new Command('adapt-score')
  .option('--users <n>', 'timed users', (v) => Number(v), 1000)
  .option('--warmup <n>', 'untimed calls first (the reference uses 20)', (v) => Number(v), 20)
  .option('--soak <n>', 'calls for the leak check (0 = skip)', (v) => Number(v), 10000)
  .option('--backend <name>', 'tensorflow | wasm | cpu', 'wasm')
  .option('--out <name>', 'results file name (compare-reference uses its own, so parallel runs do not mix)', 'adapt-score')
  .parse()
  .opts<{ users: number; warmup: number; soak: number; backend: 'tensorflow' | 'wasm' | 'cpu'; out: string }>();

/** The target for p99 (ms): the PyTorch reference's p99 on this kind of machine. */
const P99_TARGET_MS = 9.5;

const env = benchEnvironment();
const sel = await selectBackend({ preferred: opts.backend, logger: stderrLogger });
const { model, params } = meluBenchModel(0);
const base = loadParams(model, params);
const { tasks, items } = servingFixture(model, opts.users);
const U = model.featureLayout.userFields.length;

function serve(u: number): Float32Array {
  const task = tasks[u % tasks.length];
  const user = adapt(base, task.support, { steps: MELU_BENCH.innerSteps, lr: MELU_BENCH.innerLr });
  try {
    return score(user, task.support.userIndices.subarray(0, U), items);
  } finally {
    user.dispose();
  }
}

for (let k = 0; k < opts.warmup; k++) {
  serve(k);
}
const latencies: number[] = [];
const cpuMs: number[] = [];
let last: Float32Array = new Float32Array(0);
for (let u = 0; u < opts.users; u++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  last = serve(u);
  latencies.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpuMs.push((c.user + c.system) / 1000);
}
if (last.length !== MELU_BENCH.serveItems || !last.every(Number.isFinite)) {
  throw new Error(`score returned ${last.length} values, some not finite`);
}
const stats = timingStats(latencies);
// process CPU time (all threads, µs resolution): what the call costs when the shared machine makes wall time wait.
const cpu = timingStats(cpuMs);
console.error(`adapt+score: p50 ${stats.p50_ms} ms, p99 ${stats.p99_ms} ms (cpu p50 ${cpu.p50_ms}, p99 ${cpu.p99_ms})`);

let soak: Record<string, number> | null = null;
if (opts.soak > 0) {
  const tensorsBefore = liveTensorCount();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  for (let k = 0; k < opts.soak; k++) {
    serve(k);
  }
  soak = {
    calls: opts.soak,
    seconds: Math.round(performance.now() - t0) / 1000,
    tensorsBefore,
    tensorsAfter: liveTensorCount(),
    rssBeforeMiB: Math.round(rssBefore / 2 ** 20),
    rssAfterMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
}
base.dispose();
printTable(
  `adapt ${MELU_BENCH.innerSteps} steps on ${MELU_BENCH.serveSupport} interactions + score ${MELU_BENCH.serveItems} items, ${sel.name} (ms)`,
  ['users', 'p50', 'p90', 'p99', 'cpu p50', 'cpu p99', 'p99 target', 'tensors before→after soak', 'RSS MiB before→after'],
  [[stats.n, stats.p50_ms, stats.p90_ms, stats.p99_ms, cpu.p50_ms, cpu.p99_ms, `≤ ${P99_TARGET_MS}`, soak ? `${soak.tensorsBefore}→${soak.tensorsAfter} (${soak.calls} calls)` : '-', soak ? `${soak.rssBeforeMiB}→${soak.rssAfterMiB}` : '-']],
);
console.log(`\nwrote ${writeResult(opts.out, env, { backend: sel.name, config: MELU_BENCH, latency: stats, cpuTimePerCall: cpu, p99TargetMs: P99_TARGET_MS, soak })}`);
