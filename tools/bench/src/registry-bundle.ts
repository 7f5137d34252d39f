// Bundle export and load for the MeLU-size model (issue 7): register it with the real registry
// process, export it over HTTP as a directory + .tar.gz (every file verified against its sha256),
// then load it the way a serving pod does (manifest, schema fingerprint, checksums). Reports
// median/p90 times and the bundle's sizes.
// Run: npm run services:up && npx tsx --conditions=@metarec/source tools/bench/src/registry-bundle.ts [--runs 20]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { exportBundle, loadBundle, RegistryClient } from '@metarec/registry';
import { TEST_SCHEMA_FINGERPRINT } from '@metarec/registry/testing';
import { Command } from 'commander';

import { timingStats } from './bench-stats.js';
import { benchEnvironment, printTable, writeResult } from './bench-report.js';
import { BENCH_TOKEN, startBenchRegistry } from './registry-bench-server.js';
import { writeMeluSizeBundle } from './registry-bundle-fixture.js';

const opts = new Command('registry-bundle')
  .option('--runs <n>', 'timed exports and loads', (v) => Number(v), 20)
  .parse()
  .opts<{ runs: number }>();

const MODEL = 'melu-bundle-bench';

async function main(): Promise<void> {
  const env = benchEnvironment();
  const registry = await startBenchRegistry();
  const work = await mkdtemp(path.join(tmpdir(), 'registry-bundle-'));
  try {
    const client = new RegistryClient({ baseUrl: registry.url, token: BENCH_TOKEN });
    const weightBytes = await writeMeluSizeBundle(path.join(work, 'source'), 1, 0.3);
    const t0 = performance.now();
    const registered = await client.registerBundleDir(MODEL, path.join(work, 'source'));
    const registerMs = performance.now() - t0;
    await client.moveAlias(MODEL, 'production', registered.version.version, { reason: 'bench' });

    const exportMs: number[] = [];
    const exportTarMs: number[] = [];
    const loadMs: number[] = [];
    const tarballMs: number[] = [];
    let sizes = { files: 0, tarGz: 0, manifestFiles: 0 };
    for (let i = 0; i < opts.runs; i++) {
      const a = performance.now();
      await exportBundle({ source: client, model: MODEL, ref: 'production', outDir: path.join(work, `dir-${i}`) });
      exportMs.push(performance.now() - a);
      const b = performance.now();
      const withTar = await exportBundle({ source: client, model: MODEL, ref: 'production', outDir: path.join(work, `tar-${i}`), tarballPath: path.join(work, `b-${i}.tar.gz`) });
      exportTarMs.push(performance.now() - b);
      sizes = { files: withTar.bytes, tarGz: withTar.tarball?.bytes ?? 0, manifestFiles: withTar.manifest.files.length };
      const c = performance.now();
      const loaded = await loadBundle({ dir: path.join(work, `dir-${i}`), readableFingerprints: new Set([TEST_SCHEMA_FINGERPRINT]) });
      loadMs.push(performance.now() - c);
      if (loaded.files.get('weights.bin')?.length !== weightBytes) {
        throw new Error('loaded weights have the wrong size');
      }
      const d = performance.now();
      const response = await fetch(`${registry.url}/api/v1/models/${MODEL}/versions/${registered.version.version}/bundle.tar.gz`);
      await response.arrayBuffer();
      tarballMs.push(performance.now() - d);
      await rm(path.join(work, `dir-${i}`), { recursive: true });
      await rm(path.join(work, `tar-${i}`), { recursive: true });
    }
    const rows = [
      ['export to directory (HTTP, verified)', timingStats(exportMs)],
      ['export to directory + .tar.gz', timingStats(exportTarMs)],
      ['GET bundle.tar.gz (server-built)', timingStats(tarballMs)],
      ['load (manifest + fingerprint + sha256)', timingStats(loadMs)],
    ] as const;
    printTable(
      `MeLU-size bundle (${weightBytes} B weights, ${sizes.manifestFiles} files), ${opts.runs} runs`,
      ['step', 'p50 ms', 'p90 ms', 'max ms'],
      rows.map(([name, s]) => [name, s.p50_ms, s.p90_ms, s.max_ms]),
    );
    console.log(`\nregister (upload ${registered.uploadedBytes} B + manifest): ${registerMs.toFixed(1)} ms`);
    console.log(`bundle size: files ${sizes.files} B, .tar.gz ${sizes.tarGz} B (${((100 * sizes.tarGz) / sizes.files).toFixed(1)} %)`);
    const file = writeResult('registry-bundle', env, {
      weightBytes,
      sizes: { filesBytes: sizes.files, tarGzBytes: sizes.tarGz, files: sizes.manifestFiles },
      registerMs: Math.round(registerMs * 10) / 10,
      steps: Object.fromEntries(rows.map(([name, s]) => [name, s])),
    });
    console.log(`wrote ${file}`);
  } finally {
    await rm(work, { recursive: true, force: true });
    await registry.stop();
  }
}

await main();
