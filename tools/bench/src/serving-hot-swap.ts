// Hot swap under load: autocannon drives the serving process (registry-backed, following
// `production`) while the alias moves twice; counts failed requests and the p99 during the swaps.
// Target (issue 8): 0 failed requests.
// Run: npm run services:up && npx tsx --conditions=@metarec/source tools/bench/src/serving-hot-swap.ts [--duration 20] [--no-warm]
import { RegistryClient } from '@metarec/registry';
import autocannon from 'autocannon';
import { Command } from 'commander';

import { benchEnvironment, printTable, writeResult } from './bench-report.js';
import { startBusyCore } from './busy-core.js';
import { BENCH_TOKEN, startBenchRegistry } from './registry-bench-server.js';
import { timingStats } from './bench-stats.js';
import { SERVING_BENCH, setUpServingWorld, startServing } from './serving-bench-setup.js';

const opts = new Command('serving-hot-swap')
  .option('--duration <s>', 'seconds of load', (v) => Number(v), 20)
  .option('--connections <n>', 'autocannon connections', (v) => Number(v), 4)
  .option('--no-warm', 'skip the pass that adapts every user before the load (then nearly every request adapts)')
  .option('--backend <name>', 'tfjs backend of the server: tensorflow | wasm | cpu', 'tensorflow')
  .option('--busy-cpu <n>', 'keep this CPU busy with a CPU-bound process while measuring (the shared-pod condition)')
  .option('--busy-nice <n>', 'niceness of that process (19: it yields to the measuring client on the same core)', '0')
  .parse()
  .opts<{ duration: number; connections: number; warm: boolean; backend: string; busyCpu?: string; busyNice: string }>();

const MODEL = 'melu-swap-bench';

async function modelVersion(url: string): Promise<number | null> {
  return ((await (await fetch(`${url}/readyz`)).json()) as { modelVersion: number | null }).modelVersion;
}

async function waitForVersion(url: string, version: number): Promise<number> {
  const t0 = performance.now();
  while ((await modelVersion(url)) !== version) {
    if (performance.now() - t0 > 60_000) {
      throw new Error(`serving did not reach v${version}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return performance.now() - t0;
}

const env = benchEnvironment();
const world = await setUpServingWorld();
const registry = await startBenchRegistry();
const client = new RegistryClient({ baseUrl: registry.url, token: BENCH_TOKEN });
await client.createModel(MODEL);
for (const version of [1, 2, 3]) {
  await client.registerBundleDir(MODEL, await world.writeModel(version));
}
await client.moveAlias(MODEL, 'production', 1, { override: true, reason: 'bench start' });
const stopBusy = opts.busyCpu === undefined ? (): void => undefined : startBusyCore(opts.busyCpu, Number(opts.busyNice));
const serving = await startServing(world, { METAREC_BACKEND: opts.backend, REGISTRY_URL: registry.url, MODEL_NAME: MODEL, BUNDLE_CACHE_DIR: `${world.dir}/bundles` });
try {
  const users = world.world.warmUserIds;
  if (opts.warm) {
    // Every user adapted once (cached) before the load, as in a pod that has been serving: the
    // swaps then show the real cost, every user re-adapting against the new version.
    for (const userId of users) {
      await (await fetch(`${serving.url}/v1/users/${userId}/recommendations?k=${SERVING_BENCH.k}`)).arrayBuffer();
    }
  }
  let i = 0;
  const load = autocannon({
    url: serving.url,
    connections: opts.connections,
    duration: opts.duration,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: `/v1/users/${users[i++ % users.length]}/recommendations?k=${SERVING_BENCH.k}` }) }],
  });
  const swaps: { version: number; movedAtS: number; servingAfterMs: number }[] = [];
  const t0 = performance.now();
  // A probe beside autocannon: one request at a time, each timed, so the latency *during* a swap
  // (from the alias move until one second after the new version serves) can be told apart.
  const probes: { atS: number; ms: number; ok: boolean }[] = [];
  let probing = true;
  const probe = (async (): Promise<void> => {
    let j = 0;
    while (probing) {
      const userId = users[(j++ * 7919) % users.length];
      const start = performance.now();
      const ok = await fetch(`${serving.url}/v1/users/${userId}/recommendations?k=${SERVING_BENCH.k}`).then(
        async (r) => (await r.arrayBuffer(), r.status === 200),
        () => false,
      );
      probes.push({ atS: (start - t0) / 1000, ms: performance.now() - start, ok });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  for (const [version, atFraction] of [[2, 0.3], [3, 0.65]] as const) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, opts.duration * 1000 * atFraction - (performance.now() - t0))));
    const movedAtS = (performance.now() - t0) / 1000;
    await client.moveAlias(MODEL, 'production', version, { override: true, reason: 'bench swap' });
    swaps.push({ version, movedAtS: Math.round(movedAtS * 10) / 10, servingAfterMs: Math.round(await waitForVersion(serving.url, version)) });
  }
  const result = await load;
  probing = false;
  await probe;
  const failed = result.errors + result.non2xx;
  const inSwap = (p: { atS: number }): boolean => swaps.some((w) => p.atS >= w.movedAtS && p.atS <= w.movedAtS + w.servingAfterMs / 1000 + 1);
  const during = timingStats(probes.filter(inSwap).map((p) => p.ms));
  const outside = timingStats(probes.filter((p) => !inSwap(p)).map((p) => p.ms));
  const probeFailures = probes.filter((p) => !p.ok).length;
  const metricsText = await (await fetch(`${serving.url}/metrics`)).text();
  const paths = Object.fromEntries(
    [...metricsText.matchAll(/^metarec_serving_responses_total\{[^}]*path="(\w+)"[^}]*endpoint="recommendations"[^}]*\} (\d+)/gm)].map((m) => [m[1], Number(m[2])]),
  );
  const refused = [...metricsText.matchAll(/^metarec_serving_adaptation_refused_total\{[^}]*refusal="([\w-]+)"[^}]*\} (\d+)/gm)].map((m) => [m[1], Number(m[2])]);
  printTable(
    `hot swap under load (${opts.connections} connections, ${opts.duration} s, two alias moves)`,
    ['requests', 'failed', 'req/s', 'p50 ms', 'p99 ms', 'max ms'],
    [[result.requests.total, failed, Math.round(result.requests.average), result.latency.p50, result.latency.p99, result.latency.max]],
  );
  printTable('swaps', ['to version', 'moved at s', 'serving it after ms'], swaps.map((s) => [s.version, s.movedAtS, s.servingAfterMs]));
  printTable(
    'probe (one request at a time beside the load): during a swap = alias move .. new version serving + 1 s',
    ['window', 'n', 'p50 ms', 'p99 ms', 'max ms', 'failed'],
    [
      ['during swaps', during.n, during.p50_ms, during.p99_ms, during.max_ms, probes.filter((p) => inSwap(p) && !p.ok).length],
      ['outside swaps', outside.n, outside.p50_ms, outside.p99_ms, outside.max_ms, probes.filter((p) => !inSwap(p) && !p.ok).length],
    ],
  );
  console.log(`paths served: ${JSON.stringify(paths)}; adaptations refused by the gate: ${JSON.stringify(Object.fromEntries(refused))}`);
  const file = writeResult(`serving-hot-swap-${opts.backend}${opts.busyCpu === undefined ? '' : `-busy${opts.busyNice === '0' ? '' : `-nice${opts.busyNice}`}`}`, env, {
    config: { ...SERVING_BENCH, backend: opts.backend, busyCpu: opts.busyCpu ?? null, busyNice: Number(opts.busyNice), connections: opts.connections, durationS: opts.duration, warmedUsers: opts.warm },
    requests: result.requests.total,
    failed,
    errors: result.errors,
    non2xx: result.non2xx,
    reqPerSec: Math.round(result.requests.average),
    latency: { p50Ms: result.latency.p50, p90Ms: result.latency.p90, p99Ms: result.latency.p99, maxMs: result.latency.max },
    swaps,
    probe: { duringSwaps: during, outsideSwaps: outside, failed: probeFailures },
    paths,
    adaptationsRefused: Object.fromEntries(refused),
  });
  console.log(`wrote ${file}`);
  if (failed > 0) {
    process.exitCode = 1;
  }
} finally {
  stopBusy();
  await serving.stop();
  await registry.stop();
  await world.close();
}
