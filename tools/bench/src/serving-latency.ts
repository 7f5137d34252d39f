// Serving request latency over loopback against the real serving process (--backend, Redis
// online store): cold path (prior), adaptation path (5 steps on 20 ratings + rank of 500
// candidates), cached path, onboarding; memory and live tensors over a 10,000-request soak;
// throughput of one process at p99 <= 20 ms (autocannon). Targets (issue 8): adaptation p99 <= 15 ms,
// cached p99 <= 3 ms.
// Per stage: the server's Server-Timing header (user, candidates, profiles, encode, queue, adapt,
// score, rank, handler) and `outside` = client wall time − handler (HTTP, serialization, client).
// Run: npm run services:up && npx tsx --conditions=@metarec/source tools/bench/src/serving-latency.ts [--requests 1000] [--soak 10000] [--no-memo]
// Profile the server: SERVING_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (same command).
// --server-cpu 1: server pinned to CPU 1, client to the rest (the targets say "on one core").
// The server runs with the deployed node flags (DEPLOYED_SERVING_NODE_FLAGS). SERVING_FROM=built runs
// apps/serving/dist/main.js (build it first: npx tsc -b apps/serving/tsconfig.lib.json), as images do;
// SERVING_LOG_FILE=<path> keeps the server's output (with SERVING_NODE_FLAGS=--trace-gc: its GC log).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';

import autocannon from 'autocannon';
import { Command } from 'commander';

import { benchEnvironment, printTable, writeResult } from './bench-report.js';
import { startBusyCore } from './busy-core.js';
import { timingStats, type TimingStats } from './bench-stats.js';
import { metricValue } from './metric-value.js';
import { DEPLOYED_SERVING_NODE_FLAGS, SERVING_BENCH, setUpServingWorld, startServing } from './serving-bench-setup.js';

const opts = new Command('serving-latency')
  .option('--requests <n>', 'timed requests per path (cold, adapted, onboarding)', (v) => Number(v), 1000)
  .option('--soak <n>', 'cached-path requests of the memory/tensor soak', (v) => Number(v), 10_000)
  .option('--duration <s>', 'seconds per autocannon run', (v) => Number(v), 10)
  .option('--connections <list>', 'autocannon connection counts (0: no throughput runs)', (v) => v.split(',').map(Number).filter((n) => n > 0), [1, 2, 4, 8])
  .option('--server-cpu <n>', 'pin the server to this CPU and the bench (client) to the others: the "one core" of the targets')
  .option('--no-memo', 'serve with SCORE_MEMO_ENTRIES=0 (every request rescores all candidates); writes serving-latency-no-memo.json')
  .option('--backend <name>', 'tfjs backend of the server: tensorflow | wasm | cpu', 'tensorflow')
  .option('--busy-cpu <n>', 'keep this CPU busy with a CPU-bound process while measuring (the shared-pod condition)')
  .option('--busy-nice <n>', 'niceness of that process (19: it yields to the measuring client on the same core)', '0')
  .option('--no-list-head', 'serve a bundle without a list head (lists follow the network alone)')
  .parse()
  .opts<{ requests: number; soak: number; duration: number; connections: number[]; memo: boolean; serverCpu?: string; backend: string; busyCpu?: string; busyNice: string; listHead: boolean }>();

if (opts.serverCpu !== undefined) {
  const others = os.cpus().map((_, i) => i).filter((i) => String(i) !== opts.serverCpu);
  if (others.length === 0) {
    throw new Error(`--server-cpu ${opts.serverCpu}: no other CPU left for the client`);
  }
  process.env['SERVING_CPUS'] = opts.serverCpu;
  // -a: every thread of this process (libuv, GC helpers), so the client never runs on the server's core.
  execFileSync('taskset', ['-a', '-p', '-c', others.join(','), String(process.pid)], { stdio: 'ignore' });
}

// A keep-alive client on node:http: fetch (undici) allocates and pauses enough to show in a
// 3 ms p99; this is what a service-to-service caller with a connection pool looks like.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
async function getJson(url: string): Promise<{ status: number; body: unknown; serverTiming: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            const header = res.headers['server-timing'];
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), serverTiming: Array.isArray(header) ? header.join(',') : header });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const TARGETS = { adaptedP99Ms: 15, cachedP99Ms: 3, throughputP99Ms: 20 } as const;

interface Timed {
  readonly stats: TimingStats;
  readonly times: number[];
  readonly paths: Record<string, number>;
  /** Per stage (the server's `Server-Timing` header, ms), plus `outside`: client wall time minus the handler's. */
  readonly stages: Record<string, number[]>;
}

/** `a;dur=1.2, b;dur=0.3` → { a: 1.2, b: 0.3 }. */
function parseServerTiming(header: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (header ?? '').split(',')) {
    const match = /^\s*([\w-]+);dur=([0-9.]+)/.exec(part);
    if (match !== null) {
      out[match[1]] = Number(match[2]);
    }
  }
  return out;
}

async function timeRequests(url: string, paths: readonly string[]): Promise<Timed> {
  const times: number[] = [];
  const seen: Record<string, number> = {};
  const stages: Record<string, number[]> = {};
  for (const path of paths) {
    const t0 = performance.now();
    const response = await getJson(`${url}${path}`);
    const body = response.body as { path?: string };
    const ms = performance.now() - t0;
    times.push(ms);
    if (response.status !== 200) {
      throw new Error(`${path} → ${response.status}: ${JSON.stringify(body)}`);
    }
    const key = body.path ?? 'other';
    seen[key] = (seen[key] ?? 0) + 1;
    const timing = parseServerTiming(response.serverTiming ?? null);
    if (timing['handler'] !== undefined) {
      timing['outside'] = ms - timing['handler'];
    }
    for (const [stage, value] of Object.entries(timing)) {
      (stages[stage] ??= []).push(value);
    }
  }
  return { stats: timingStats(times), times, paths: seen, stages };
}

/** p50/p99 per stage; a stage a request skipped counts as 0 for it. */
function stageTable(timed: Timed): Record<string, { p50_ms: number; p99_ms: number; mean_ms: number }> {
  const out: Record<string, { p50_ms: number; p99_ms: number; mean_ms: number }> = {};
  for (const [stage, values] of Object.entries(timed.stages)) {
    const padded = [...values, ...new Array<number>(Math.max(0, timed.times.length - values.length)).fill(0)];
    const s = timingStats(padded);
    out[stage] = { p50_ms: s.p50_ms, p99_ms: s.p99_ms, mean_ms: s.mean_ms };
  }
  return out;
}

interface MemorySample {
  readonly requests: number;
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  readonly externalMiB: number;
  readonly tensors: number;
}

async function metrics(url: string, requests: number): Promise<MemorySample> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const mib = (name: string): number => Math.round(metricValue(text, name) / 2 ** 20);
  return {
    requests,
    rssMiB: mib('metarec_serving_process_resident_memory_bytes'),
    heapUsedMiB: mib('metarec_serving_nodejs_heap_size_used_bytes'),
    // wasm memory (the tfjs backend's heap) counts as external and never shrinks once grown.
    externalMiB: mib('metarec_serving_nodejs_external_memory_bytes'),
    tensors: metricValue(text, 'metarec_serving_live_tensors'),
  };
}

const env = benchEnvironment();
const world = await setUpServingWorld({ listHead: opts.listHead });
const modelDir = await world.writeModel(1);
// The adaptation gate is opened wide: this bench measures the request path, not the limiter.
const stopBusy = opts.busyCpu === undefined ? (): void => undefined : startBusyCore(opts.busyCpu, Number(opts.busyNice));
const serving = await startServing(world, {
  METAREC_BACKEND: opts.backend,
  MODEL_DIR: modelDir,
  ADAPT_RATE_PER_SEC: '100000',
  ADAPT_BURST: '100000',
  ADAPT_MAX_QUEUED: '1000',
  USER_CACHE_MAX: '5000',
  ...(opts.memo ? {} : { SCORE_MEMO_ENTRIES: '0' }),
});
try {
  const users = world.world.warmUserIds;
  const n = Math.min(opts.requests, users.length);
  const recs = (u: string): string => `/v1/users/${encodeURIComponent(u)}/recommendations?k=${SERVING_BENCH.k}`;
  // Warm every measured path first (JIT, wasm kernels, shared lists): cold users, then the
  // warm-up users' adaptation and their cached repeat (not the measured users).
  await timeRequests(serving.url, Array.from({ length: 200 }, (_, i) => recs(`warmup-${i}`)));
  await timeRequests(serving.url, world.warmupUserIds.map(recs));
  await timeRequests(serving.url, world.warmupUserIds.map(recs));
  await timeRequests(serving.url, Array.from({ length: 100 }, (_, i) => `/v1/users/warmup-${i}/onboarding?k=10`));
  const cold = await timeRequests(serving.url, Array.from({ length: opts.requests }, (_, i) => recs(`new-user-${i}`)));
  const adapted = await timeRequests(serving.url, users.slice(0, n).map(recs));
  const cached = await timeRequests(serving.url, users.slice(0, n).map(recs));
  const onboarding = await timeRequests(serving.url, Array.from({ length: opts.requests }, (_, i) => `/v1/users/onboard-${i}/onboarding?k=10`));
  // The HTTP floor: the same client against /healthz (no work): what loopback + fastify + the client cost.
  const floor = await timeRequests(serving.url, Array.from({ length: opts.requests }, () => '/healthz'));

  // The soak in five slices, memory sampled between them: growth that plateaus is heap/wasm
  // sizing, growth that keeps going is a leak.
  const samples: MemorySample[] = [await metrics(serving.url, 0)];
  const soakStart = performance.now();
  const soakTimes: number[] = [];
  const soakPaths: Record<string, number> = {};
  const slice = Math.ceil(opts.soak / 5);
  for (let done = 0; done < opts.soak; done += slice) {
    const part = await timeRequests(serving.url, Array.from({ length: Math.min(slice, opts.soak - done) }, (_, i) => recs(users[(done + i) % n])));
    soakTimes.push(...part.times);
    Object.entries(part.paths).forEach(([p, c]) => (soakPaths[p] = (soakPaths[p] ?? 0) + c));
    samples.push(await metrics(serving.url, Math.min(opts.soak, done + slice)));
  }
  const soakSeconds = (performance.now() - soakStart) / 1000;
  const soak = { stats: timingStats(soakTimes), paths: soakPaths };
  const before = samples[0];
  const after = samples[samples.length - 1];

  const throughput = [];
  for (const connections of opts.connections) {
    let i = 0;
    const result = await autocannon({
      url: serving.url,
      connections,
      duration: opts.duration,
      requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: recs(users[i++ % n]) }) }],
    });
    throughput.push({ connections, reqPerSec: Math.round(result.requests.average), p50Ms: result.latency.p50, p99Ms: result.latency.p99, errors: result.errors, non2xx: result.non2xx });
  }
  const withinTarget = throughput.filter((t) => t.p99Ms <= TARGETS.throughputP99Ms && t.errors === 0 && t.non2xx === 0);
  const best = withinTarget.sort((a, b) => b.reqPerSec - a.reqPerSec)[0] ?? null;

  const rows = [
    ['cold (prior, no ratings)', cold.stats.p50_ms, cold.stats.p99_ms, JSON.stringify(cold.paths)],
    ['adapted (5 steps, 20 ratings)', adapted.stats.p50_ms, adapted.stats.p99_ms, JSON.stringify(adapted.paths)],
    ['cached', cached.stats.p50_ms, cached.stats.p99_ms, JSON.stringify(cached.paths)],
    ['onboarding (k=10)', onboarding.stats.p50_ms, onboarding.stats.p99_ms, ''],
    ['HTTP floor (/healthz)', floor.stats.p50_ms, floor.stats.p99_ms, ''],
    [`soak cached x${opts.soak}`, soak.stats.p50_ms, soak.stats.p99_ms, JSON.stringify(soak.paths)],
  ] as const;
  printTable(`serving latency over loopback (${opts.backend}${opts.busyCpu === undefined ? ', quiet' : `, CPU ${opts.busyCpu} busy (nice ${opts.busyNice})`}, ${SERVING_BENCH.candidates} candidates, k=${SERVING_BENCH.k}, score memo ${opts.memo ? 'on' : 'off'}, server ${opts.serverCpu === undefined ? 'unpinned' : `on CPU ${opts.serverCpu}`}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores)`, ['path', 'p50 ms', 'p99 ms', 'paths seen'], rows);
  const stageNames = ['user', 'candidates', 'profiles', 'encode', 'queue', 'adapt', 'score', 'rank', 'handler', 'outside'];
  const breakdown = { cold: stageTable(cold), adapted: stageTable(adapted), cached: stageTable(cached), floor: stageTable(floor) };
  printTable(
    'per-stage breakdown, mean / p99 ms (Server-Timing; handler = fastify time to the end of the handler; outside = client wall − handler: HTTP, serialization, client)',
    ['path', ...stageNames],
    Object.entries(breakdown).map(([p, t]) => [p, ...stageNames.map((n) => (t[n] === undefined ? '-' : `${t[n].mean_ms.toFixed(2)}/${t[n].p99_ms.toFixed(2)}`))]),
  );
  printTable('soak memory', ['after requests', 'rss MiB', 'heap used MiB', 'external MiB', 'live tensors'], samples.map((m) => [m.requests, m.rssMiB, m.heapUsedMiB, m.externalMiB, m.tensors]));
  printTable('throughput (autocannon, cached path)', ['connections', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non2xx'], throughput.map((t) => [t.connections, t.reqPerSec, t.p50Ms, t.p99Ms, t.errors, t.non2xx]));
  console.log(`\nbest throughput at p99 <= ${TARGETS.throughputP99Ms} ms: ${best === null ? 'none' : `${best.reqPerSec} req/s (${best.connections} connections)`}`);
  const condition = `${opts.backend}${opts.busyCpu === undefined ? '' : `-busy${opts.busyNice === '0' ? '' : `-nice${opts.busyNice}`}`}${opts.listHead ? '' : '-no-list-head'}`;
  const file = writeResult(`${opts.memo ? 'serving-latency' : 'serving-latency-no-memo'}-${condition}`, env, {
    config: { ...SERVING_BENCH, listHead: opts.listHead, backend: opts.backend, busyCpu: opts.busyCpu ?? null, busyNice: Number(opts.busyNice), scoreMemo: opts.memo, serverCpu: opts.serverCpu ?? null, serverNodeFlags: DEPLOYED_SERVING_NODE_FLAGS, client: 'node:http keep-alive' },
    targets: TARGETS,
    cold: cold.stats,
    adapted: adapted.stats,
    cached: cached.stats,
    onboarding: onboarding.stats,
    httpFloor: floor.stats,
    stages: breakdown,
    soak: { requests: opts.soak, seconds: Math.round(soakSeconds * 10) / 10, latency: soak.stats, paths: soak.paths, before, after, samples },
    throughput,
    bestThroughputWithinTarget: best,
    paths: { cold: cold.paths, adapted: adapted.paths, cached: cached.paths },
  });
  console.log(`wrote ${file}`);
} finally {
  stopBusy();
  await serving.stop();
  // SERVING_LOG_FILE: the server's output (e.g. with SERVING_NODE_FLAGS=--trace-gc) for offline reading.
  const logFile = process.env['SERVING_LOG_FILE'];
  if (logFile !== undefined) {
    writeFileSync(logFile, serving.logs());
  }
  await world.close();
}
