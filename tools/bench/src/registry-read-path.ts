// Registry read path as a serving pod walks it: resolve the `production` alias, then fetch that
// version's manifest, over loopback to the real registry process (PostgreSQL behind it).
// Target (issue 7): p99 <= 5 ms over 10,000 requests.
// Run: npm run services:up && npx tsx --conditions=@metarec/source tools/bench/src/registry-read-path.ts [--requests 10000]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { RegistryClient } from '@metarec/registry';
import { Command } from 'commander';

import { timingStats, type TimingStats } from './bench-stats.js';
import { benchEnvironment, printTable, writeResult } from './bench-report.js';
import { BENCH_TOKEN, startBenchRegistry } from './registry-bench-server.js';
import { writeMeluSizeBundle } from './registry-bundle-fixture.js';

const opts = new Command('registry-read-path')
  .option('--requests <n>', 'timed resolve+manifest pairs per run', (v) => Number(v), 10_000)
  .option('--warmup <n>', 'untimed pairs first', (v) => Number(v), 500)
  .option('--concurrency <n>', 'parallel pods in the second run', (v) => Number(v), 8)
  .parse()
  .opts<{ requests: number; warmup: number; concurrency: number }>();

const TARGET_P99_MS = 5;
const MODEL = 'melu-bench';

interface RunResult {
  readonly run: string;
  readonly concurrency: number;
  readonly pair: TimingStats;
  readonly resolve: TimingStats;
  readonly manifest: TimingStats;
  readonly pairsPerSec: number;
}

/** The same read in one request: `GET /refs/production/manifest` resolves the alias server-side. */
async function runSingle(client: RegistryClient, requests: number): Promise<TimingStats> {
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const t0 = performance.now();
    await client.resolveManifest(MODEL, 'production');
    times.push(performance.now() - t0);
  }
  return timingStats(times);
}

/**
 * Baseline of the box: GET /healthz (no pg, no parsing) through the same fetch client. On a
 * shared, loaded machine the tail is scheduling, and this shows how much of it.
 */
async function runBaseline(url: string, requests: number): Promise<TimingStats> {
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const t0 = performance.now();
    await (await fetch(`${url}/healthz`)).arrayBuffer();
    times.push(performance.now() - t0);
  }
  return timingStats(times);
}

async function run(client: RegistryClient, label: string, requests: number, concurrency: number): Promise<RunResult> {
  const pair: number[] = [];
  const resolve: number[] = [];
  const manifest: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next++;
        const t0 = performance.now();
        const alias = await client.resolveAlias(MODEL, 'production');
        const t1 = performance.now();
        await client.resolveManifest(MODEL, String(alias.version));
        const t2 = performance.now();
        resolve.push(t1 - t0);
        manifest.push(t2 - t1);
        pair.push(t2 - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { run: label, concurrency, pair: timingStats(pair), resolve: timingStats(resolve), manifest: timingStats(manifest), pairsPerSec: Math.round(pair.length / seconds) };
}

async function main(): Promise<void> {
  const env = benchEnvironment();
  const registry = await startBenchRegistry();
  const work = await mkdtemp(path.join(tmpdir(), 'registry-read-'));
  try {
    const client = new RegistryClient({ baseUrl: registry.url, token: BENCH_TOKEN });
    await writeMeluSizeBundle(path.join(work, 'bundle'), 1, 0.3);
    const registered = await client.registerBundleDir(MODEL, path.join(work, 'bundle'));
    await client.moveAlias(MODEL, 'production', registered.version.version, { reason: 'bench' });
    await run(client, 'warmup', opts.warmup, 1);
    const results = [await run(client, 'sequential', opts.requests, 1), await run(client, `${opts.concurrency} pods`, opts.requests, opts.concurrency)];
    printTable(
      `Registry read path (resolve production + fetch manifest), ${opts.requests} pairs, loopback, target p99 <= ${TARGET_P99_MS} ms`,
      ['run', 'pair p50 ms', 'pair p99 ms', 'resolve p99', 'manifest p99', 'pairs/s'],
      results.map((r) => [r.run, r.pair.p50_ms, r.pair.p99_ms, r.resolve.p99_ms, r.manifest.p99_ms, r.pairsPerSec]),
    );
    const single = await runSingle(client, opts.requests);
    console.log(`one request (refs/production/manifest): p50 ${single.p50_ms} ms, p99 ${single.p99_ms} ms`);
    const baseline = await runBaseline(registry.url, opts.requests);
    console.log(`baseline GET /healthz: p50 ${baseline.p50_ms} ms, p99 ${baseline.p99_ms} ms (load average ${os.loadavg().map((v) => v.toFixed(1)).join(' ')} on ${os.cpus().length} cores)`);
    const sequential = results[0];
    const verdict = sequential !== undefined && sequential.pair.p99_ms <= TARGET_P99_MS ? 'met' : 'missed';
    console.log(`\nsequential pair p99 ${sequential?.pair.p99_ms ?? Number.NaN} ms: target ${verdict}`);
    const file = writeResult('registry-read-path', env, { targetP99Ms: TARGET_P99_MS, requests: opts.requests, verdict, runs: results, singleRequest: single, baselineHealthz: baseline, client: 'RegistryClient (fetch/undici keep-alive)', server: 'apps/registry main.ts, separate process' });
    console.log(`wrote ${file}`);
  } finally {
    await rm(work, { recursive: true, force: true });
    await registry.stop();
  }
}

await main();
