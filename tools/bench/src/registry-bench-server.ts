// Starts the real registry app (apps/registry/src/main.ts) as a child process on a fresh schema
// and artifact directory, for the registry benches: client and server in separate processes
// talk over loopback exactly as a serving pod and the registry would.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import pg from 'pg';
import { freePort } from '@metarec/runtime/testing';

import { REPO_ROOT } from './repo-root.js';

/** Token the bench server accepts for writes (principal `bench`). */
export const BENCH_TOKEN = 'bench-token-0123456789abcdef';

/** A running registry process. */
export interface BenchRegistry {
  readonly url: string;
  readonly schema: string;
  stop(): Promise<void>;
}

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`registry exited with ${child.exitCode}:\n${output()}`);
    }
    const status = await fetch(`${url}/readyz`).then((r) => r.status, () => 0);
    if (status === 200) {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`registry not ready after 30 s:\n${output()}`);
}

/** Starts the registry on DATABASE_URL (default: the dev-services PostgreSQL). */
export async function startBenchRegistry(): Promise<BenchRegistry> {
  const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://metarec:metarec@localhost:55432/metarec';
  const schema = `bench_registry_${process.pid}`;
  const artifacts = await mkdtemp(path.join(tmpdir(), 'registry-bench-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--conditions=@metarec/source', '--import', 'tsx', 'apps/registry/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REGISTRY_DB_SCHEMA: schema,
      REGISTRY_HOST: '127.0.0.1',
      REGISTRY_PORT: String(port),
      REGISTRY_ARTIFACT_DIR: artifacts,
      REGISTRY_TOKENS: `bench:${BENCH_TOKEN}`,
      REGISTRY_NOTIFY_CHANNEL: schema,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitReady(url, child, () => output);
  return {
    url,
    schema,
    async stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
      await rm(artifacts, { recursive: true, force: true });
    },
  };
}
