// Distributed meta-training throughput at MeLU size (4+4 fields × 1,000 ids, 32-d embeddings,
// [64, 64] MLP, meta-batch 32 of 16+16 rows, 5 inner steps): in-process loop vs coordinator +
// 1 worker vs coordinator + 2 workers, plus the gradient blob's size and Redis round trip. The
// coordinator runs in this process; workers are `trainer worker` processes (apps/trainer, as
// deployed: own event loop, own compute thread), or with --workers in-process BullMQ workers on
// this process's event loop (their compute still in threads), which also records worker.* spans.
// Needs redis-server (a private one is started). Run:
//   npx tsx --conditions=@metarec/source tools/bench/src/trainer-throughput.ts [--steps 4] [--algorithm maml] [--workers process|in-process]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Command } from 'commander';
import { Redis } from 'ioredis';

import {
  applyUpdate,
  createMetaModel,
  createOptimizerState,
  inProcessExecutor,
  initialLoopState,
  initParams,
  metaStep,
  runMetaTrainingSync,
  selectBackend,
} from '@metarec/meta-learning';
import {
  aggregateShards,
  ComputePool,
  Coordinator,
  decodeBlob,
  encodeBlob,
  loadTaskSet,
  metaStepOptionsOf,
  modelConfigOf,
  adamOptionsOf,
  parseRunSpec,
  RunStore,
  ShardProcessor,
  syntheticTaskSet,
  TrainingWorker,
  type RunSpec,
  type TraceSpan,
  type TrainingLogger,
} from '@metarec/training';
import { freePort, spawnSourceProcess, waitForHttp200 } from '@metarec/runtime/testing';
import { startLocalRedis } from '@metarec/training/testing';

import { timingStats } from './bench-stats.js';
import { benchEnvironment, printTable, stderrLogger, writeResult } from './bench-report.js';
import { MELU_BENCH, meluSyntheticRunSpecParts } from './melu-bench-setup.js';
import { REPO_ROOT } from './repo-root.js';
import { metricValue } from './metric-value.js';
import { formatProbe, probeCpu } from './trainer-cpu-probe.js';
import { summarizeSteps, type StepBreakdown } from './trainer-trace-summary.js';

const opts = new Command('trainer-throughput')
  .option('--steps <n>', 'timed meta-steps per configuration and round (after one warm-up step)', (v) => Number(v), 3)
  .option('--rounds <n>', 'rounds; each runs the three configurations in turn, so load drift hits all alike', (v) => Number(v), 3)
  .option('--algorithm <a>', 'maml | fomaml', 'maml')
  .option('--round-trips <n>', 'gradient blob SET+GET round trips timed', (v) => Number(v), 20)
  .option('--cold-threads', 'in-process workers: start new compute threads for every run (cold JIT) instead of keeping each worker\'s across rounds')
  .option('--workers <mode>', 'process: `trainer worker` processes (as deployed); in-process: BullMQ workers on this event loop, with worker.* spans', 'process')
  .parse()
  .opts<{ steps: number; rounds: number; algorithm: 'maml' | 'fomaml'; roundTrips: number; coldThreads?: boolean; workers: 'process' | 'in-process' }>();
if (opts.workers !== 'process' && opts.workers !== 'in-process') {
  throw new Error(`--workers must be process or in-process, got ${String(opts.workers)}`);
}
/** Untimed first steps: thread start-up, first parameter load, a fresh worker process's JIT. */
const WARMUP_STEPS = 2;

const quiet: TrainingLogger = { info: () => undefined, warn: (f, m) => console.error(`WARN ${m}`, f), error: (f, m) => console.error(`ERROR ${m}`, f) };

function meluSpec(out: string, steps: number): RunSpec {
  return parseRunSpec({
    name: 'melu-bench',
    ...meluSyntheticRunSpecParts(MELU_BENCH.metaBatch * (steps + WARMUP_STEPS)),
    algorithm: opts.algorithm,
    outer: { lr: MELU_BENCH.outerLr, clipValue: MELU_BENCH.clipValue },
    metaBatchSize: MELU_BENCH.metaBatch,
    // One shard per live worker (shardSize only caps it): 1 worker computes the batch as one
    // stacked pass, as the in-process loop does; 2 workers get 16 tasks each.
    shardSize: MELU_BENCH.metaBatch,
    sharding: 'live-workers',
    epochs: 1,
    maxSteps: steps + WARMUP_STEPS,
    checkpointEvery: 1000,
    output: { dir: out },
  });
}

/** The in-process loop; per-step wall times from its progress callback (warm-up steps dropped). */
function inProcess(spec: RunSpec): number[] {
  const set = syntheticTaskSet(spec.data as Extract<RunSpec['data'], { kind: 'synthetic' }>);
  const model = createMetaModel(set.featureLayout, modelConfigOf(spec));
  const times: number[] = [];
  let last = performance.now();
  runMetaTrainingSync(inProcessExecutor(model, set.train, metaStepOptionsOf(spec)), initialLoopState(model.layout, initParams(model), spec.seed), {
    metaBatchSize: spec.metaBatchSize,
    epochs: 1,
    maxSteps: spec.maxSteps,
    outerLr: spec.outer.lr,
    adam: adamOptionsOf(spec),
    onProgress: () => {
      const now = performance.now();
      times.push(now - last);
      last = now;
    },
  });
  return times.slice(WARMUP_STEPS);
}

/**
 * Worker w's compute pool, kept across rounds unless --cold-threads: a worker pod's compute thread
 * lives for many steps, as the in-process baseline's main thread does, so its JIT is warm.
 */
const warmPools: ComputePool[] = [];
function workerPool(w: number, closers: Array<() => Promise<unknown>>): ComputePool {
  if (opts.coldThreads) {
    const pool = new ComputePool({ threads: 1, backend: 'wasm' });
    closers.push(() => pool.close());
    return pool;
  }
  warmPools[w] ??= new ComputePool({ threads: 1, backend: 'wasm' });
  return warmPools[w];
}

/** `trainer worker` processes on `url`, each ready (/readyz 200, announced) when this resolves. */
async function startWorkerProcesses(url: string, n: number, closers: Array<() => Promise<unknown>>): Promise<string[]> {
  const metricsUrls: string[] = [];
  for (let w = 0; w < n; w++) {
    const port = await freePort();
    const proc = spawnSourceProcess('apps/trainer/src/main.ts', ['worker', '--concurrency', '1', '--name', `bench-worker-${w}-${port}`], {
      cwd: REPO_ROOT,
      env: { REDIS_URL: url, TRAINER_HOST: '127.0.0.1', TRAINER_PORT: String(port), METAREC_BACKEND: 'wasm', LOG_LEVEL: 'warn' },
    });
    closers.push(() => proc.stop(30_000));
    await waitForHttp200(proc, `http://127.0.0.1:${port}/readyz`, 120_000, `trainer worker ${w}`);
    metricsUrls.push(`http://127.0.0.1:${port}/metrics`);
  }
  return metricsUrls;
}

/** Sum and count of the workers' shard compute histograms (seconds). */
async function shardComputeTotals(metricsUrls: readonly string[]): Promise<{ sumMs: number; count: number }> {
  let sumMs = 0;
  let count = 0;
  for (const u of metricsUrls) {
    const text = await (await fetch(u)).text();
    sumMs += 1000 * metricValue(text, 'metarec_trainer_shard_step_seconds_sum');
    count += metricValue(text, 'metarec_trainer_shard_step_seconds_count');
  }
  return { sumMs, count };
}

async function distributed(url: string, spec: RunSpec, workers: number, runId: string): Promise<{ stepMs: number[]; computeMs: number[]; spans: TraceSpan[]; mainThreadBusy: number }> {
  const closers: Array<() => Promise<unknown>> = [];
  const computeMs: number[] = [];
  const spans: TraceSpan[] = [];
  const trace = (s: TraceSpan): void => {
    spans.push(s);
  };
  let metricsUrls: string[] = [];
  // A holder, not a `let`: TypeScript does not see the assignment inside the onStatus callback.
  const afterWarmup: { totals: Promise<{ sumMs: number; count: number }> | null } = { totals: null };
  try {
    if (opts.workers === 'process') {
      metricsUrls = await startWorkerProcesses(url, workers, closers);
    }
    const inProcessWorkers = opts.workers === 'in-process' ? workers : 0;
    for (let w = 0; w < inProcessWorkers; w++) {
      const redis = new Redis(url, { maxRetriesPerRequest: null });
      const pool = workerPool(w, closers);
      const store = new RunStore({ redis });
      const inner = new ShardProcessor({ store, pool, loadTaskSet, trace });
      const processor = {
        process: async (...args: Parameters<ShardProcessor['process']>) => {
          const r = await inner.process(...args);
          if (args[0].step >= WARMUP_STEPS) {
            computeMs.push(r.computeMs);
          }
          return r;
        },
      } as ShardProcessor;
      const worker = new TrainingWorker({ connection: redis, processor, logger: quiet, concurrency: 1, trace });
      closers.push(() => redis.quit(), () => worker.close());
      // Announced before the first step is planned, so the coordinator cuts one shard per worker.
      await worker.waitUntilReady();
    }
    const redis = new Redis(url, { maxRetriesPerRequest: null });
    const pool = new ComputePool({ threads: 1, backend: 'wasm' });
    const stamps: number[] = [];
    const coordinator = new Coordinator({
      connection: redis,
      store: new RunStore({ redis }),
      pool,
      logger: quiet,
      pollIntervalMs: 50,
      trace,
      onStatus: (s) => {
        if (s.status === 'running') {
          stamps.push(performance.now());
          // Worker processes: their compute histograms at the end of the warm-up steps (the next step's shards are still computing).
          if (stamps.length === WARMUP_STEPS && metricsUrls.length > 0) {
            afterWarmup.totals = shardComputeTotals(metricsUrls);
          }
        }
      },
    });
    closers.push(() => redis.quit(), () => pool.close(), () => coordinator.close());
    // Main-thread (coordinator + BullMQ workers + blob coding) busy fraction over the whole run.
    const elu = performance.eventLoopUtilization();
    await coordinator.run(spec, { runId });
    const mainThreadBusy = performance.eventLoopUtilization(elu).utilization;
    if (afterWarmup.totals !== null) {
      const [before, after] = [await afterWarmup.totals, await shardComputeTotals(metricsUrls)];
      // Mean per shard, repeated once per timed shard (the in-process mode records each).
      const shards = after.count - before.count;
      computeMs.push(...Array.from({ length: shards }, () => (after.sumMs - before.sumMs) / shards));
    }
    // stamps[k] ends step k; the first WARMUP_STEPS steps are untimed.
    return { stepMs: stamps.slice(WARMUP_STEPS).map((t, i) => t - stamps[WARMUP_STEPS - 1 + i]), computeMs, spans, mainThreadBusy };
  } finally {
    for (const close of closers.reverse()) {
      await close();
    }
  }
}

/** The queue's own cost per step: a 1-worker run of a tiny model (compute of a few ms), step time minus shard compute. */
async function tinyOverhead(url: string, out: string, steps: number): Promise<{ stepMs: number; computeMs: number; overheadMs: number }> {
  const spec = parseRunSpec({
    name: 'overhead',
    data: {
      kind: 'synthetic',
      world: { seed: 2, users: 8 * (steps + 1), items: 10, interactionsPerUser: { min: 8, max: 8 } },
      queryCount: 4,
      minRatings: 8,
      maxRatings: 8,
      validationFraction: 0,
      testFraction: 0,
    },
    model: { embeddingDim: 4, hidden: [4] },
    algorithm: 'fomaml',
    inner: { steps: 1, lr: 0.01, l2: 0 },
    metaBatchSize: 8,
    shardSize: 4,
    epochs: 1,
    checkpointEvery: 1000,
    output: { dir: out },
  });
  const r = await distributed(url, spec, 1, 'bench-overhead');
  const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
  return { stepMs: mean(r.stepMs), computeMs: mean(r.computeMs), overheadMs: mean(r.stepMs) - 2 * mean(r.computeMs) };
}

/** The outer update at MeLU size (aggregateShards over 2 shard gradients + Adam), p50 ms: in-process and distributed steps both pay it once per step. */
function outerUpdateMs(params: Float32Array, gradient: Float32Array, spec: RunSpec, n: number): number {
  const state = createOptimizerState({ entries: [], totalSize: params.length });
  const shards = [0, 1].map((k) => ({ kind: 'gradient' as const, values: gradient.map((x) => x * (1 + k)), taskCount: spec.metaBatchSize / 2, loss: 1 }));
  const adam = { ...adamOptionsOf(spec), lr: spec.outer.lr };
  const update = (): void => {
    applyUpdate(params, state, aggregateShards(shards).gradient, adam);
  };
  update();
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    update();
    t.push(performance.now() - start);
  }
  return timingStats(t).p50_ms;
}

async function blobRoundTrip(url: string, values: Float32Array, n: number): Promise<{ bytes: number; encodeMs: number; roundTripMs: ReturnType<typeof timingStats> }> {
  const redis = new Redis(url);
  try {
    encodeBlob({ kind: 'gradient', values, taskCount: 16, loss: 1 });
    const t0 = performance.now();
    const bytes = encodeBlob({ kind: 'gradient', values, taskCount: 16, loss: 1 });
    const encodeMs = performance.now() - t0;
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      await redis.set('bench:grad', bytes, 'PX', 60_000);
      const back = await redis.getBuffer('bench:grad');
      decodeBlob(back ?? Buffer.alloc(0), 'gradient', 'bench:grad');
      times.push(performance.now() - start);
    }
    return { bytes: bytes.length, encodeMs, roundTripMs: timingStats(times) };
  } finally {
    await redis.quit();
  }
}

const env = benchEnvironment();
const cpuBefore = await probeCpu();
const selection = await selectBackend({ preferred: 'wasm', logger: stderrLogger });
const redisServer = await startLocalRedis();
const out = await mkdtemp(path.join(tmpdir(), 'metarec-trainer-bench-'));
try {
  const spec = meluSpec(out, opts.steps);
  const tasksPerStep = spec.metaBatchSize;
  const local: number[] = [];
  const one = { stepMs: [] as number[], computeMs: [] as number[], spans: [] as TraceSpan[], busy: [] as number[] };
  const two = { stepMs: [] as number[], computeMs: [] as number[], spans: [] as TraceSpan[], busy: [] as number[] };
  for (let round = 0; round < opts.rounds; round++) {
    console.error(`round ${round + 1}/${opts.rounds}: in-process (${opts.algorithm}), coordinator + 1 worker, coordinator + 2 workers …`);
    local.push(...inProcess(spec));
    const r1 = await distributed(redisServer.url, spec, 1, `bench-1w-${round}`);
    one.stepMs.push(...r1.stepMs);
    one.computeMs.push(...r1.computeMs);
    one.spans.push(...r1.spans);
    one.busy.push(r1.mainThreadBusy);
    const r2 = await distributed(redisServer.url, spec, 2, `bench-2w-${round}`);
    two.stepMs.push(...r2.stepMs);
    two.computeMs.push(...r2.computeMs);
    two.spans.push(...r2.spans);
    two.busy.push(r2.mainThreadBusy);
  }
  const set = syntheticTaskSet(spec.data as Extract<RunSpec['data'], { kind: 'synthetic' }>);
  const model = createMetaModel(set.featureLayout, modelConfigOf(spec));
  const paramCount = model.layout.totalSize;
  // A real 16-task shard gradient (zero on the embedding rows the shard never looked up) and dense values of the same length (as parameters).
  const shardGradient = metaStep(model, initParams(model), set.train.slice(0, spec.metaBatchSize / 2), metaStepOptionsOf(spec)).gradient;
  const blob = await blobRoundTrip(redisServer.url, shardGradient, opts.roundTrips);
  const denseBlob = await blobRoundTrip(redisServer.url, new Float32Array(paramCount).fill(0.5), opts.roundTrips);
  const update = outerUpdateMs(initParams(model), shardGradient, spec, 10);
  console.error('queue overhead with a tiny model …');
  const tiny = await tinyOverhead(redisServer.url, out, 10);

  const cpuAfter = await probeCpu();
  const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
  const rows = [
    { config: 'in-process loop', stepMs: local },
    { config: 'coordinator + 1 worker', stepMs: one.stepMs },
    { config: 'coordinator + 2 workers', stepMs: two.stepMs },
  ].map((r) => ({ ...r, stats: timingStats(r.stepMs), tasksPerSec: (tasksPerStep * 1000) / mean(r.stepMs) }));
  const ratio1 = rows[1].tasksPerSec / rows[0].tasksPerSec;
  const ratio2 = rows[2].tasksPerSec / rows[1].tasksPerSec;
  // Queue overhead: the 1-worker step minus the shard compute it waited for (one shard: the whole batch).
  const overheadMs = mean(one.stepMs) - mean(one.computeMs);
  printTable(
    `Trainer throughput, ${opts.algorithm}, MeLU size (${paramCount} params), ${opts.rounds} rounds x ${opts.steps} timed steps of ${tasksPerStep} tasks, backend ${selection.name}, ${opts.coldThreads === true ? 'cold' : 'warm'} compute threads`,
    ['configuration', 'mean ms/step', 'p50', 'tasks/s'],
    rows.map((r) => [r.config, mean(r.stepMs), r.stats.p50_ms, r.tasksPerSec]),
  );
  printTable('Ratios and overhead', ['figure', 'value', 'target'], [
    ['1 worker / in-process', ratio1, '>= 0.85'],
    ['2 workers / 1 worker', ratio2, '>= 1.7'],
    ['  2-thread speed-up of probe kernels, before (2.0 = no interference)', formatProbe(cpuBefore), ''],
    ['  2-thread speed-up of probe kernels, after', formatProbe(cpuAfter), ''],
    ['MeLU step overhead, 1 worker (ms): step - shard compute (1 shard of 32)', overheadMs, ''],
    [opts.workers === 'process' ? 'coordinator main thread busy, 1 / 2 workers' : 'main thread busy (coordinator + BullMQ workers + blobs), 1 / 2 workers', `${mean(one.busy).toFixed(2)} / ${mean(two.busy).toFixed(2)}`, 'fraction of a core'],
    ['2-worker step - mean shard compute (ms)', mean(two.stepMs) - mean(two.computeMs), ''],
    ['queue overhead per step, tiny model (ms)', tiny.overheadMs, ''],
    ['mean shard compute (ms): 1 worker (32 tasks) / 2 workers (16 tasks each, concurrently)', `${mean(one.computeMs).toFixed(1)} / ${mean(two.computeMs).toFixed(1)}`, ''],
    ['outer update p50 (shard average + Adam, same code in-process and in the coordinator), ms', update, ''],
    ['shard gradient blob, zero blocks elided (bytes)', blob.bytes, ''],
    ['  encode incl. sha256 (ms)', blob.encodeMs, ''],
    ['  SET+GET+decode p50 (ms)', blob.roundTripMs.p50_ms, ''],
    ['dense blob, parameter-sized (bytes)', denseBlob.bytes, ''],
    ['  encode incl. sha256 (ms)', denseBlob.encodeMs, ''],
    ['  SET+GET+decode p50 (ms)', denseBlob.roundTripMs.p50_ms, ''],
  ]);
  const breakdowns: Record<string, StepBreakdown> = { oneWorker: summarizeSteps(one.spans), twoWorkers: summarizeSteps(two.spans) };
  const names = [...new Set(Object.values(breakdowns).flatMap((b) => [...Object.keys(b.spanMs), ...Object.keys(b.derivedMs).map((k) => `= ${k}`)]))];
  const cell = (b: StepBreakdown, n: string): number | string => (n.startsWith('= ') ? b.derivedMs[n.slice(2)] : b.spanMs[n]) ?? '';
  printTable('Per-step breakdown, mean ms (spans: coordinator coord.*, workers worker.*; = derived gaps)', ['span', '1 worker', '2 workers'], names.map((n) => [n, cell(breakdowns.oneWorker, n), cell(breakdowns.twoWorkers, n)]));
  console.log(`\nloadavg at start ${env.loadavgStart.join(' ')}; ${env.cpuCount} cores. The coordinator shares the process (main thread) with the workers' compute threads; it is idle during the barrier, but with 2 workers on 2 cores any other load (loadavg above) steals from them.`);
  const file = writeResult(opts.workers === 'process' ? 'trainer-throughput' : 'trainer-throughput-in-process', env, {
    algorithm: opts.algorithm,
    computeThreads: opts.coldThreads === true ? 'cold: new per run' : 'warm: each worker keeps its compute thread across rounds',
    rounds: opts.rounds,
    stepsPerRound: opts.steps,
    backend: selection.name,
    paramCount,
    tasksPerStep,
    sharding: 'live-workers: 1 shard of 32 with 1 worker, 2 of 16 with 2',
    configurations: rows.map((r) => ({ config: r.config, stepMs: r.stepMs, ...r.stats, tasksPerSec: r.tasksPerSec })),
    ratios: { oneWorkerOverInProcess: ratio1, twoWorkersOverOne: ratio2, targets: { oneWorkerOverInProcess: 0.85, twoWorkersOverOne: 1.7 } },
    cpuProbe: { before: cpuBefore, after: cpuAfter },
    outerUpdateMs: update,
    meluStepOverheadMs: overheadMs,
    mainThreadBusy: { oneWorker: mean(one.busy), twoWorkers: mean(two.busy) },
    twoWorkerStepMinusShardComputeMs: mean(two.stepMs) - mean(two.computeMs),
    tinyModelQueueOverhead: tiny,
    meanShardComputeMs: mean(one.computeMs),
    gradientBlob: blob,
    denseBlob,
    stepBreakdownMs: breakdowns,
  });
  console.log(`\nwrote ${file}`);
} finally {
  for (const pool of warmPools) {
    await pool.close();
  }
  await redisServer.stop();
  await rm(out, { recursive: true, force: true });
}
