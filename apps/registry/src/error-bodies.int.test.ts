import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AliasManager, API_PREFIX, createTokenVerifier, DirectoryArtifactStore, ModelRegistry, RunStore } from '@metarec/registry';
import { createLogger, createMetricsRegistry } from '@metarec/runtime';
import { checkService, freePort, recordScenarioFigures } from '@metarec/runtime/testing';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from './app.js';
import { startTestRegistry, TEST_TOKENS, type TestRegistry } from './testing/test-registry.js';

const postgres = await checkService('postgres');
const WRITE = { authorization: `Bearer ${TEST_TOKENS.trainer}` };

/** A raw HTTP exchange over a real socket (431 is answered by the HTTP parser, which inject() skips). */
async function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'GET', path, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('registry during a PostgreSQL outage', () => {
  let app: FastifyInstance;
  let pool: pg.Pool;
  let artifactDir: string;
  let deadPort: number;

  beforeAll(async () => {
    // Nothing listens on this port: every connection is refused, as when pg is down.
    deadPort = await freePort();
    pool = new pg.Pool({ connectionString: `postgres://metarec:metarec@127.0.0.1:${deadPort}/metarec`, connectionTimeoutMillis: 1_000 });
    // An idle pool client's connection error is emitted on the pool; the requests report it.
    pool.on('error', () => undefined);
    artifactDir = await mkdtemp(join(tmpdir(), 'registry-outage-'));
    const store = new DirectoryArtifactStore({ root: artifactDir });
    const logger = createLogger({ name: 'registry-outage-test', level: 'silent' });
    const metrics = createMetricsRegistry();
    app = await buildApp({
      registry: new ModelRegistry({ pool, store, logger }),
      runs: new RunStore({ pool, store, logger }),
      aliases: new AliasManager({ pool, store, logger, metrics }),
      store,
      logger,
      metrics,
      auth: { verifier: createTokenVerifier([`trainer:${TEST_TOKENS.trainer}`]), readAuth: false },
      maxUploadBytes: 1024 * 1024,
      importRoot: undefined,
      longPollMaxMs: 1_000,
      isReady: () => true,
      version: 'test',
    });
  });
  afterAll(async () => {
    await app?.close();
    await pool?.end();
    await rm(artifactDir, { recursive: true, force: true });
  });

  it('answers 503 with a coded body that names no host, port or socket error', async () => {
    const requests = [
      { method: 'GET', url: `${API_PREFIX}/models` },
      { method: 'GET', url: `${API_PREFIX}/models/melu/versions/1` },
      { method: 'GET', url: `${API_PREFIX}/models/melu/refs/production/manifest` },
      { method: 'POST', url: `${API_PREFIX}/models`, payload: { name: 'melu' } },
      { method: 'PUT', url: `${API_PREFIX}/models/melu/aliases/production`, payload: { version: 1 } },
      { method: 'POST', url: `${API_PREFIX}/models/melu/versions/1/archive`, payload: {} },
    ] as const;
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'unavailable', reason: 'REG_UNAVAILABLE' });
    const statuses: number[] = [];
    for (const r of requests) {
      const res = await app.inject({ method: r.method, url: r.url, headers: WRITE, ...('payload' in r ? { payload: r.payload } : {}) });
      statuses.push(res.statusCode);
      expect({ url: r.url, status: res.statusCode, code: (res.json() as { code: string }).code }).toEqual({ url: r.url, status: 503, code: 'REG_UNAVAILABLE' });
      for (const secret of ['ECONNREFUSED', '127.0.0.1', String(deadPort), 'connect ']) {
        expect(res.body).not.toContain(secret);
      }
    }
    recordScenarioFigures('registry during a PostgreSQL outage', { requestsSent: statuses.length, status503: statuses.filter((s) => s === 503).length, otherStatus: statuses.filter((s) => s !== 503).length, readyzStatus: ready.statusCode });
  });
});

describe.skipIf(!postgres.available)('registry error bodies', () => {
  let t: TestRegistry;
  let port: number;

  beforeAll(async () => {
    t = await startTestRegistry(postgres.address);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 404, 414 and 431 with the documented {code, message, field} body', async () => {
    const cases: [string, Record<string, string>, number, string][] = [
      [`${API_PREFIX}/no/such/route`, {}, 404, 'url'],
      // A path parameter beyond fastify's maxParamLength (100).
      [`${API_PREFIX}/models/${'a'.repeat(200)}`, {}, 414, 'url'],
      // Headers beyond Node's 16 KiB limit.
      [`${API_PREFIX}/models`, { 'x-filler': 'a'.repeat(20_000) }, 431, 'headers'],
    ];
    for (const [path, headers, status, field] of cases) {
      const res = await rawGet(port, path, headers);
      const body = JSON.parse(res.body) as Record<string, unknown>;
      expect({ status: res.status, keys: Object.keys(body).sort(), field: body['field'] }).toEqual({ status, keys: ['code', 'field', 'message'], field });
      expect(String(body['code'])).toMatch(/^REG_/);
    }
  });

  it('reports a corrupt artifact without the server\'s filesystem path', async () => {
    const bytes = Buffer.from('some weights');
    const { createHash } = await import('node:crypto');
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect((await t.app.inject({ method: 'PUT', url: `${API_PREFIX}/blobs/${sha}`, headers: { ...WRITE, 'content-type': 'application/octet-stream' }, payload: bytes })).statusCode).toBe(201);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(t.store.pathOf(sha), Buffer.from('some weightz'));
    const res = await t.app.inject({ method: 'GET', url: `${API_PREFIX}/blobs/${sha}` });
    expect(res.json()).toMatchObject({ code: 'REG_ARTIFACT_CORRUPT' });
    expect(res.body).not.toContain(t.artifactDir);
    expect(res.body).not.toContain(tmpdir());
  });
});
