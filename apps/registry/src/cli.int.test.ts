import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadBundle, RegistryClient } from '@metarec/registry';
import { TEST_SCHEMA_FINGERPRINT, TEST_TUNING, writeTestBundle } from '@metarec/registry/testing';
import { checkService } from '@metarec/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildCli } from './cli/build-cli.js';
import { startTestRegistry, TEST_TOKENS, type TestRegistry } from './testing/test-registry.js';

const postgres = await checkService('postgres');

describe.skipIf(!postgres.available)(`registry CLI against a listening server ${postgres.available ? '' : `(skipped: ${postgres.skipReason})`}`, () => {
  let t: TestRegistry;
  let url: string;
  let work: string;

  async function run(...args: string[]): Promise<string> {
    let out = '';
    const program = buildCli({ write: (text) => (out += text), env: { REGISTRY_URL: url, REGISTRY_TOKEN: TEST_TOKENS.alice } });
    await program.parseAsync(['node', 'registry', ...args]);
    return out;
  }

  beforeAll(async () => {
    t = await startTestRegistry(postgres.address);
    url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    work = await mkdtemp(join(tmpdir(), 'registry-cli-'));
  });
  afterAll(async () => {
    await t?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('registers bundles, promotes through the gate, rolls back and exports', async () => {
    await writeTestBundle(join(work, 'b1'), { seed: 1, metrics: { ndcg10: 0.3 } });
    await writeTestBundle(join(work, 'b2'), { seed: 2, metrics: { ndcg10: 0.32 }, parentVersion: 1 });
    expect(await run('versions', 'register', 'melu', join(work, 'b1'))).toMatch(/^registered melu v1 \(\d+ bytes uploaded\)/);
    expect(await run('versions', 'register', 'melu', join(work, 'b2'))).toMatch(/^registered melu v2/);
    expect(await run('versions', 'register', 'melu', join(work, 'b1'), '--version', '1')).toMatch(/^already registered melu v1 \(0 bytes uploaded\)/);
    expect(await run('models', 'list')).toMatch(/melu\s+2\s+2/);
    expect(await run('promote', 'melu', '1', '--reason', 'first')).toBe('promoted melu v1 to production (promote)\n');
    expect(await run('promote', 'melu', '2', '--reason', 'better ndcg')).toBe('promoted melu v2 to production (promote)\n');
    expect(await run('alias', 'get', 'melu', 'production')).toBe('melu@production = v2\n');
    expect(await run('rollback', 'melu', '--reason', 'canary alarms')).toBe('melu@production: v2 -> v1 (rollback)\n');
    const history = JSON.parse(await run('--json', 'alias', 'history', 'melu', 'production')) as { kind: string; actor: string }[];
    expect(history.map((e) => e.kind)).toEqual(['rollback', 'promote', 'promote']);
    expect(history.every((e) => e.actor === 'alice')).toBe(true);
    expect(await run('alias', 'at', 'melu', 'production', '2000-01-01T00:00:00Z')).toContain('not set');

    const out = await run('export', 'melu@production', '--out', join(work, 'exported'), '--tar', join(work, 'exported.tar.gz'));
    expect(out).toMatch(/^exported melu v1 to .*exported \(\d+ bytes; .*exported.tar.gz \d+ bytes\)/);
    const loaded = await loadBundle({ dir: join(work, 'exported'), readableFingerprints: new Set([TEST_SCHEMA_FINGERPRINT]) });
    expect(loaded.files.get('weights.bin')).toEqual(await readFile(join(work, 'b1', 'weights.bin')));
    expect(loaded.files.has('report.html')).toBe(false);
    await run('export', 'melu@1', '--out', join(work, 'with-report'), '--with-report');
    expect((await readFile(join(work, 'with-report', 'report.html'), 'utf8'))).toContain('Evaluation report');
  });

  it('shows the search a version was tuned by, best trial first, and says when it was not tuned', async () => {
    await writeTestBundle(join(work, 't1'), { seed: 11, trainingSpec: { algorithm: 'maml', tuning: TEST_TUNING } });
    await writeTestBundle(join(work, 't2'), { seed: 12 });
    await run('versions', 'register', 'tuned', join(work, 't1'));
    await run('versions', 'register', 'tuned', join(work, 't2'));
    const lines = (await run('versions', 'tuning', 'tuned', '1')).trimEnd().split('\n');
    expect(lines[0]).toBe('tuned v1: search t-test, best trial 2 (mae 0.8100 at 30 steps), 3-fold, eta 3');
    expect(lines[1].split(/\s+/)).toEqual(['trial', 'inner.lr', 'mae@10', 'mae@30', 'status']);
    expect(lines[2].split(/\s+/)).toEqual(['2', '0.02', '0.9', '0.81', 'completed']);
    expect(lines[3].split(/\s+/)).toEqual(['0', '0.2', '1.4', '-', 'stopped']);
    expect(JSON.parse(await run('--json', 'versions', 'tuning', 'tuned', '1'))).toMatchObject({ tuneId: 't-test', best: { trial: 2 } });
    expect(await run('versions', 'tuning', 'tuned', '2')).toBe('tuned v2: not tuned\n');
  });

  it('reports the server code and field on failure', async () => {
    await expect(run('promote', 'melu', '99')).rejects.toMatchObject({ code: 'REG_VERSION_NOT_FOUND', field: 'version' });
    await expect(run('promote', 'Bad Name', '1')).rejects.toMatchObject({ code: 'REG_INVALID_NAME' });
    let out = '';
    const noToken = buildCli({ write: (text) => (out += text), env: { REGISTRY_URL: url } });
    await expect(noToken.parseAsync(['node', 'registry', 'promote', 'melu', '2'])).rejects.toMatchObject({ code: 'REG_AUTH_MISSING' });
    expect(out).toBe('');
  });

  it('watchAlias delivers each promotion by long-poll, and by polling while long-polls fail', async () => {
    await writeTestBundle(join(work, 'w1'), { seed: 61 });
    await writeTestBundle(join(work, 'w2'), { seed: 62 });
    const writer = new RegistryClient({ baseUrl: url, token: TEST_TOKENS.alice });
    const v1 = (await writer.registerBundleDir('watched', join(work, 'w1'))).version.version;
    const v2 = (await writer.registerBundleDir('watched', join(work, 'w2'))).version.version;
    const start = await writer.moveAlias('watched', 'staging', v1);

    const watch = async (client: RegistryClient, target: number): Promise<number[]> => {
      const seen: number[] = [];
      const stop = new AbortController();
      const watching = client.watchAlias('watched', 'staging', {
        afterEventId: start.alias.eventId,
        signal: stop.signal,
        longPollMs: 5_000,
        pollIntervalMs: 100,
        onChange: (alias) => {
          seen.push(alias.version);
          stop.abort();
        },
      });
      await new Promise((r) => setTimeout(r, 150));
      await writer.moveAlias('watched', 'staging', target);
      await watching;
      return seen;
    };
    expect(await watch(new RegistryClient({ baseUrl: url }), v2)).toEqual([v2]);

    // A proxy that cuts every long-poll: the client falls back to plain polling.
    const errors: unknown[] = [];
    const cutting: typeof fetch = (input, init) =>
      (input instanceof Request ? input.url : String(input)).includes('/wait?') ? Promise.reject(new Error('connection reset by proxy')) : fetch(input, init);
    const seen: number[] = [];
    const stop = new AbortController();
    const after = (await writer.resolveAlias('watched', 'staging')).eventId;
    const watching = new RegistryClient({ baseUrl: url, fetch: cutting }).watchAlias('watched', 'staging', {
      afterEventId: after,
      signal: stop.signal,
      pollIntervalMs: 100,
      onError: (error) => errors.push(error),
      onChange: (alias) => {
        seen.push(alias.version);
        stop.abort();
      },
    });
    await new Promise((r) => setTimeout(r, 150));
    await writer.moveAlias('watched', 'staging', v1);
    await watching;
    expect(seen).toEqual([v1]);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('holds a long-poll until its timeout when nothing moves, and releases it when the client goes away', async () => {
    const started = Date.now();
    const idle = (await (await fetch(`${url}/api/v1/models/watched/aliases/staging/wait?after=1000000&timeoutMs=800`)).json()) as { changed: boolean };
    expect(idle.changed).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(750);

    const gone = new AbortController();
    const pending = fetch(`${url}/api/v1/models/watched/aliases/staging/wait?after=1000000&timeoutMs=20000`, { signal: gone.signal }).catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 200));
    const waiting = async (): Promise<string | undefined> => /metarec_registry_long_polls (\d+)/.exec(await (await fetch(`${url}/metrics`)).text())?.[1];
    expect(await waiting()).toBe('1');
    gone.abort();
    expect(await pending).toBe('aborted');
    await new Promise((r) => setTimeout(r, 300));
    expect(await waiting()).toBe('0');
  });
});
