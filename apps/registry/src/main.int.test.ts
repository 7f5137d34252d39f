import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { checkService, freePort } from '@metarec/runtime/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const postgres = await checkService('postgres');
const APP_ROOT = fileURLToPath(new URL('..', import.meta.url));

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`registry exited early with code ${child.exitCode}`);
    }
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) {
        return;
      }
    } catch {
      // not listening yet: retry below
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('registry did not become ready');
}

describe.skipIf(!postgres.available)(`registry process (main.ts) ${postgres.available ? '' : `(skipped: ${postgres.skipReason})`}`, () => {
  // A schema that does not exist yet: main.ts creates and migrates it.
  const schema = `reg_main_${process.pid}_${Date.now()}`;
  let artifacts: string;
  beforeAll(async () => {
    artifacts = await mkdtemp(join(tmpdir(), 'registry-main-'));
  });
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: postgres.address });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    await rm(artifacts, { recursive: true, force: true });
  });

  it('starts, migrates, serves, and on SIGTERM releases long-polls, drains and exits 0', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['--conditions=@metarec/source', '--import', 'tsx', 'src/main.ts'], {
      cwd: APP_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: postgres.address,
        REGISTRY_DB_SCHEMA: schema,
        REGISTRY_HOST: '127.0.0.1',
        REGISTRY_PORT: String(port),
        REGISTRY_ARTIFACT_DIR: artifacts,
        REGISTRY_TOKENS: 'ops:ops-token-0123456789abcdef',
        REGISTRY_NOTIFY_CHANNEL: schema,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stdout?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitReady(url, child, 20_000);
      expect((await fetch(`${url}/api/v1/models`)).status).toBe(200);
      // A model with an alias, so a long-poll can be pending during shutdown.
      const create = await fetch(`${url}/api/v1/models`, { method: 'POST', headers: { authorization: 'Bearer ops-token-0123456789abcdef', 'content-type': 'application/json' }, body: JSON.stringify({ name: 'm' }) });
      expect(create.status).toBe(201);
      const pending = fetch(`${url}/api/v1/models/m/aliases/production/wait?timeoutMs=25000`).then(async (r) => ({ status: r.status, body: (await r.json()) as unknown }));
      await new Promise((r) => setTimeout(r, 200));
      const stopAt = Date.now();
      child.kill('SIGTERM');
      const poll = await pending;
      expect(poll).toEqual({ status: 200, body: { changed: false, alias: null } });
      const code = await exited;
      if (code !== 0) {
        console.log(logs);
      }
      expect(code).toBe(0);
      expect(Date.now() - stopAt).toBeLessThan(5_000);
      const lines = logs.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; step?: string; steps?: string[]; ok?: boolean });
      const order = ['readiness', 'http', 'alias-watcher', 'pg-pool'];
      // GracefulShutdown runs steps in this order (tested in libs/runtime); here: the app added them so, and all closed.
      expect(lines.find((l) => l.msg === 'shutdown started')?.steps).toEqual(order);
      const closed = lines.filter((l) => l.msg === 'shutdown step closed').map((l) => l.step ?? '');
      if (closed.join() !== order.join()) {
        console.log(`unexpected shutdown log order:\n${logs}`);
      }
      expect([...closed].sort()).toEqual([...order].sort());
      expect(lines.find((l) => l.msg === 'shutdown finished')?.ok).toBe(true);
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
      }
    }
  });
});
