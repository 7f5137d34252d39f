import { readFile, rm, writeFile } from 'node:fs/promises';

import { API_PREFIX, type BundleManifest } from '@metarec/registry';
import { buildTestBundleFiles, TEST_TUNING, type TestBundleOptions } from '@metarec/registry/testing';
import { checkService } from '@metarec/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestRegistry, TEST_TOKENS, type TestRegistry } from './testing/test-registry.js';

const postgres = await checkService('postgres');
const WRITE = { authorization: `Bearer ${TEST_TOKENS.trainer}` };
const ALICE = { authorization: `Bearer ${TEST_TOKENS.alice}` };

describe.skipIf(!postgres.available)(`registry HTTP API ${postgres.available ? '' : `(skipped: ${postgres.skipReason})`}`, () => {
  let t: TestRegistry;

  async function upload(options: TestBundleOptions): Promise<BundleManifest> {
    const bundle = buildTestBundleFiles(options);
    for (const file of bundle.manifest.files) {
      const bytes = bundle.files.get(file.path) ?? Buffer.alloc(0);
      const res = await t.app.inject({ method: 'PUT', url: `${API_PREFIX}/blobs/${file.sha256}`, headers: { ...WRITE, 'content-type': 'application/octet-stream' }, payload: bytes });
      expect(res.statusCode).toBe(201);
    }
    return bundle.manifest;
  }

  async function register(model: string, options: TestBundleOptions): Promise<number> {
    const manifest = await upload(options);
    const res = await t.app.inject({ method: 'POST', url: `${API_PREFIX}/models/${model}/versions`, headers: WRITE, payload: { manifest } });
    expect(res.statusCode).toBe(201);
    return (res.json() as { version: { version: number } }).version.version;
  }

  beforeAll(async () => {
    t = await startTestRegistry(postgres.address, { maxUploadBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('registers, lists and resolves; the audit actor is the token principal', async () => {
    const v1 = await register('melu', { seed: 1, metrics: { ndcg10: 0.3 } });
    expect(v1).toBe(1);
    const move = await t.app.inject({ method: 'PUT', url: `${API_PREFIX}/models/melu/aliases/production`, headers: ALICE, payload: { version: 1, reason: 'first', actor: 'mallory' } });
    expect(move.statusCode).toBe(200);
    expect(move.json()).toMatchObject({ moved: true, event: { actor: 'alice', kind: 'promote', toVersion: 1 } });
    const manifest = await t.app.inject({ method: 'GET', url: `${API_PREFIX}/models/melu/refs/production/manifest` });
    expect(manifest.json()).toMatchObject({ version: 1, manifest: { schemaFingerprint: 'schema-fp-test-v1' } });
    expect(manifest.headers['cache-control']).toBe('no-cache');
    const pinned = await t.app.inject({ method: 'GET', url: `${API_PREFIX}/models/melu/refs/1/manifest` });
    expect(pinned.headers['cache-control']).toContain('immutable');
    expect(pinned.headers['etag']).toBe(`"${(manifest.json() as { contentSha256: string }).contentSha256}"`);
    const models = await t.app.inject({ method: 'GET', url: `${API_PREFIX}/models` });
    expect(models.json()).toMatchObject({ models: [{ name: 'melu', versionCount: 1, latestVersion: 1 }] });
  });

  it('shows the tuning table of a tuned version in its JSON and on the model page', async () => {
    await register('tunedweb', { seed: 21, trainingSpec: { algorithm: 'maml', tuning: TEST_TUNING } });
    await register('tunedweb', { seed: 22 });
    const version = (await t.app.inject({ method: 'GET', url: `${API_PREFIX}/models/tunedweb/versions/1` })).json() as { manifest: BundleManifest };
    expect(version.manifest.lineage.trainingSpec['tuning']).toMatchObject({ tuneId: 't-test', best: { trial: 2 } });
    const page = await t.app.inject({ method: 'GET', url: '/ui/models/tunedweb' });
    expect(page.statusCode).toBe(200);
    const tuning = /<table data-testid="tuning-1">([\s\S]*?)<\/table>/.exec(page.body)?.[1] ?? '';
    expect(tuning).toContain('<th>mae@30</th>');
    expect(tuning).toMatch(/<td>2<\/td><td>0\.0200<\/td><td>0\.9000<\/td><td>0\.8100<\/td><td>completed<\/td>/);
    expect(page.body).toContain('Search <code>t-test</code>: best trial 2, mae 0.8100 at 30 steps');
    expect(page.body).not.toContain('data-testid="tuning-2"');
  });

  it('answers 400 naming the field, 401 without token, 403 with a wrong one, 404 for unknown names', async () => {
    const cases: [string, string, Record<string, string>, unknown, number, string, string | undefined][] = [
      ['GET', '/models/Bad Name', {}, undefined, 400, 'REG_INVALID_NAME', 'model'],
      ['GET', '/models/melu/versions/abc', {}, undefined, 400, 'REG_INVALID_INPUT', 'version'],
      ['GET', '/models/melu/aliases/9lives', {}, undefined, 400, 'REG_INVALID_NAME', 'alias'],
      ['PUT', '/models/melu/aliases/production', WRITE, { version: 'one' }, 400, 'REG_INVALID_INPUT', 'version'],
      ['POST', '/models/melu/versions', WRITE, { manifest: { manifestVersion: 1 } }, 400, 'REG_MANIFEST_INVALID', 'manifest.format'],
      ['GET', '/models/melu/versions/1/files/..%2F..%2Fetc%2Fpasswd', {}, undefined, 400, 'REG_INVALID_NAME', 'path'],
      ['GET', '/models/melu/aliases/production/at?time=yesterday', {}, undefined, 400, 'REG_INVALID_INPUT', 'time'],
      ['PUT', '/models/melu/aliases/production', {}, { version: 1 }, 401, 'REG_AUTH_MISSING', 'authorization'],
      ['PUT', '/models/melu/aliases/production', { authorization: 'Bearer wrong-token-0000000000' }, { version: 1 }, 403, 'REG_AUTH_INVALID', 'authorization'],
      ['GET', '/models/nope', {}, undefined, 404, 'REG_MODEL_NOT_FOUND', 'model'],
      ['GET', '/models/melu/versions/99', {}, undefined, 404, 'REG_VERSION_NOT_FOUND', 'version'],
      ['GET', '/models/melu/aliases/staging', {}, undefined, 404, 'REG_ALIAS_NOT_FOUND', 'alias'],
      ['GET', '/models/nope/aliases/production', {}, undefined, 404, 'REG_ALIAS_NOT_FOUND', 'alias'],
      ['GET', '/no/such/route', {}, undefined, 404, 'REG_ROUTE_NOT_FOUND', 'url'],
      ['POST', '/models', { ...WRITE, 'content-type': 'application/json' }, '{not json', 400, 'REG_INVALID_INPUT', 'body'],
    ];
    for (const [method, path, headers, payload, status, code, field] of cases) {
      const res = await t.app.inject({ method: method as 'GET', url: `${API_PREFIX}${path}`, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> | string }) });
      expect({ path, status: res.statusCode, code: (res.json() as { code: string }).code, field: (res.json() as { field?: string }).field }).toEqual({ path, status, code, field });
    }
  });

  it('refuses a gate regression with the numbers (409) and accepts a logged override', async () => {
    const worse = await register('melu', { seed: 2, metrics: { ndcg10: 0.2 } });
    const refused = await t.app.inject({ method: 'PUT', url: `${API_PREFIX}/models/melu/aliases/production`, headers: ALICE, payload: { version: worse } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'REG_GATE_REFUSED', details: { gate: { candidateValue: 0.2, currentValue: 0.3, reason: 'worse-beyond-tolerance' } } });
    const forced = await t.app.inject({ method: 'PUT', url: `${API_PREFIX}/models/melu/aliases/production`, headers: ALICE, payload: { version: worse, override: true, reason: 'hotfix for incident 7' } });
    expect(forced.json()).toMatchObject({ moved: true, event: { kind: 'override', reason: 'hotfix for incident 7' } });
    const rollback = await t.app.inject({ method: 'POST', url: `${API_PREFIX}/models/melu/aliases/production/rollback`, headers: ALICE, payload: { reason: 'undo' } });
    expect(rollback.json()).toMatchObject({ alias: { version: 1 }, event: { kind: 'rollback', fromVersion: worse, toVersion: 1 } });
    const history = await t.app.inject({ method: 'GET', url: `${API_PREFIX}/models/melu/aliases/production/history` });
    expect((history.json() as { events: { kind: string }[] }).events.map((e) => e.kind)).toEqual(['rollback', 'override', 'promote']);
  });

  it('serializes parallel promotion requests: one audit entry per move, consistent final state', async () => {
    const versions = [await register('race', { seed: 11 }), await register('race', { seed: 12 }), await register('race', { seed: 13 })];
    const responses = await Promise.all(
      Array.from({ length: 15 }, (_, i) => t.app.inject({ method: 'PUT', url: `${API_PREFIX}/models/race/aliases/production`, headers: ALICE, payload: { version: versions[i % 3], reason: `r${i}` } })),
    );
    expect(responses.every((r) => r.statusCode === 200)).toBe(true);
    const moved = responses.filter((r) => (r.json() as { moved: boolean }).moved).length;
    const events = ((await t.app.inject({ method: 'GET', url: `${API_PREFIX}/models/race/aliases/production/history` })).json() as { events: { id: number; fromVersion: number | null; toVersion: number }[] }).events.reverse();
    expect(events).toHaveLength(moved);
    events.slice(1).forEach((e, i) => expect(e.fromVersion).toBe(events[i]?.toVersion));
    const final = (await t.app.inject({ method: 'GET', url: `${API_PREFIX}/models/race/aliases/production` })).json() as { version: number; eventId: number };
    expect(final).toMatchObject({ version: events.at(-1)?.toVersion, eventId: events.at(-1)?.id });
  });

  it('stores and reports the archive reason; it cannot be rewritten afterwards', async () => {
    await register('archived', { seed: 51 });
    const res = await t.app.inject({ method: 'POST', url: `${API_PREFIX}/models/archived/versions/1/archive`, headers: ALICE, payload: { reason: 'superseded by v2 (incident 9)' } });
    expect(res.statusCode).toBe(200);
    const expected = { state: 'archived', archivedBy: 'alice', reason: 'superseded by v2 (incident 9)' };
    expect((res.json() as { status: unknown }).status).toMatchObject(expected);
    const read = (await t.app.inject({ method: 'GET', url: `${API_PREFIX}/models/archived/versions/1` })).json() as { status: unknown };
    expect(read.status).toMatchObject(expected);
    const listed = (await t.app.inject({ method: 'GET', url: `${API_PREFIX}/models/archived/versions` })).json() as { versions: { status: unknown }[] };
    expect(listed.versions[0]?.status).toMatchObject(expected);
    // The audit record is append-only: the database itself refuses a rewrite of the reason.
    await expect(t.db.pool.query(`UPDATE registry_versions SET archive_reason = 'nothing to see' WHERE version = 1 AND model_id = (SELECT id FROM registry_models WHERE name = 'archived')`)).rejects.toMatchObject({ code: 'RG001' });
  });

  it('keeps versions immutable over HTTP', async () => {
    const manifest = await upload({ seed: 21 });
    const first = await t.app.inject({ method: 'POST', url: `${API_PREFIX}/models/immutable/versions`, headers: WRITE, payload: { manifest, version: 1 } });
    expect(first.statusCode).toBe(201);
    const retry = await t.app.inject({ method: 'POST', url: `${API_PREFIX}/models/immutable/versions`, headers: WRITE, payload: { manifest, version: 1 } });
    expect(retry.statusCode).toBe(200);
    const other = await upload({ seed: 22 });
    const clash = await t.app.inject({ method: 'POST', url: `${API_PREFIX}/models/immutable/versions`, headers: WRITE, payload: { manifest: other, version: 1 } });
    expect(clash.statusCode).toBe(409);
    expect(clash.json()).toMatchObject({ code: 'REG_VERSION_IMMUTABLE', field: 'version' });
  });

  it('checks uploads: declared sha256, size limit', async () => {
    const lie = await t.app.inject({ method: 'PUT', url: `${API_PREFIX}/blobs/${'a'.repeat(64)}`, headers: { ...WRITE, 'content-type': 'application/octet-stream' }, payload: Buffer.from('x') });
    expect(lie.json()).toMatchObject({ code: 'REG_CHECKSUM_MISMATCH', field: 'sha256' });
    const big = await t.app.inject({ method: 'PUT', url: `${API_PREFIX}/blobs/${'b'.repeat(64)}`, headers: { ...WRITE, 'content-type': 'application/octet-stream' }, payload: Buffer.alloc(65 * 1024) });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'REG_PAYLOAD_TOO_LARGE' });
  });

  it('detects a flipped byte on disk and never serves the file', async () => {
    const v = await register('corrupt', { seed: 31 });
    const version = (await t.app.inject({ method: 'GET', url: `${API_PREFIX}/models/corrupt/versions/${v}` })).json() as { manifest: BundleManifest };
    const sha = version.manifest.files.find((f) => f.path === 'weights.bin')?.sha256 ?? '';
    const ok = await t.app.inject({ method: 'GET', url: `${API_PREFIX}/models/corrupt/versions/${v}/files/weights.bin` });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-security-policy']).toBe('sandbox');
    const bytes = await readFile(t.store.pathOf(sha));
    bytes.writeUInt8(bytes.readUInt8(100) ^ 0x10, 100);
    await writeFile(t.store.pathOf(sha), bytes);
    for (const url of [`/models/corrupt/versions/${v}/files/weights.bin`, `/blobs/${sha}`, `/models/corrupt/versions/${v}/bundle.tar.gz`]) {
      const res = await t.app.inject({ method: 'GET', url: `${API_PREFIX}${url}` });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toMatchObject({ code: 'REG_ARTIFACT_CORRUPT' });
      expect(res.body).not.toContain(bytes.subarray(0, 64).toString('latin1'));
    }
  });

  it('refuses to point an alias at a version whose artifacts are corrupt or missing, even with override', async () => {
    const good = await register('verified', { seed: 61, metrics: { ndcg10: 0.3 } });
    const bad = await register('verified', { seed: 62, metrics: { ndcg10: 0.4 } });
    expect((await t.app.inject({ method: 'PUT', url: `${API_PREFIX}/models/verified/aliases/production`, headers: ALICE, payload: { version: good } })).statusCode).toBe(200);
    const version = (await t.app.inject({ method: 'GET', url: `${API_PREFIX}/models/verified/versions/${bad}` })).json() as { manifest: BundleManifest };
    const sha = version.manifest.files.find((f) => f.path === 'weights.bin')?.sha256 ?? '';
    const bytes = await readFile(t.store.pathOf(sha));
    bytes.writeUInt8(bytes.readUInt8(7) ^ 0x01, 7);
    await writeFile(t.store.pathOf(sha), bytes);
    for (const payload of [{ version: bad }, { version: bad, override: true, reason: 'ship it anyway' }]) {
      const res = await t.app.inject({ method: 'PUT', url: `${API_PREFIX}/models/verified/aliases/production`, headers: ALICE, payload });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'REG_VERSION_CORRUPT', field: 'version', details: { version: bad, files: [{ path: 'weights.bin', problem: 'corrupt' }] } });
    }
    expect((await t.app.inject({ method: 'GET', url: `${API_PREFIX}/models/verified/aliases/production` })).json()).toMatchObject({ version: good });
    // A missing blob is refused the same way, and so is a rollback onto a damaged version.
    await rm(t.store.pathOf(sha));
    const missing = await t.app.inject({ method: 'PUT', url: `${API_PREFIX}/models/verified/aliases/staging`, headers: ALICE, payload: { version: bad } });
    expect(missing.json()).toMatchObject({ code: 'REG_VERSION_CORRUPT', details: { files: [{ path: 'weights.bin', problem: 'missing' }] } });
  });

  it('returns a long-poll as soon as the alias moves (pg LISTEN/NOTIFY)', async () => {
    const v1 = await register('watch', { seed: 41 });
    const v2 = await register('watch', { seed: 42 });
    const first = (await t.app.inject({ method: 'PUT', url: `${API_PREFIX}/models/watch/aliases/staging`, headers: ALICE, payload: { version: v1 } })).json() as { alias: { eventId: number } };
    const started = Date.now();
    const poll = t.app.inject({ method: 'GET', url: `${API_PREFIX}/models/watch/aliases/staging/wait?after=${first.alias.eventId}&timeoutMs=10000` });
    await new Promise((r) => setTimeout(r, 100));
    await t.app.inject({ method: 'PUT', url: `${API_PREFIX}/models/watch/aliases/staging`, headers: ALICE, payload: { version: v2 } });
    const result = (await poll).json() as { changed: boolean; alias: { version: number } };
    expect(result).toMatchObject({ changed: true, alias: { version: v2 } });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('serves the OpenAPI document, probes and metrics', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/v1/models/{model}/aliases/{alias}/wait');
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
    t.setReady(false);
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    t.setReady(true);
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('metarec_registry_http_request_duration_seconds_bucket');
    expect(metrics).toMatch(/metarec_registry_http_errors_total\{code="REG_ARTIFACT_CORRUPT"\} [1-9]/);
    expect(metrics).toMatch(/metarec_registry_alias_moves_total\{kind="override"\} 1/);
    expect(metrics).toMatch(/metarec_registry_gate_refusals_total\{reason="worse-beyond-tolerance"\} 1/);
    expect(metrics).toMatch(/metarec_registry_long_polls 0/);
  });
});

describe.skipIf(!postgres.available)('registry with read auth', () => {
  let t: TestRegistry;
  beforeAll(async () => {
    t = await startTestRegistry(postgres.address, { readAuth: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('guards reads when configured, leaving probes open', async () => {
    expect((await t.app.inject({ method: 'GET', url: `${API_PREFIX}/models` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: `${API_PREFIX}/models`, headers: ALICE })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
