import { tmpdir } from 'node:os';

import { API_PREFIX, type BundleManifest, ROUTES } from '@metarec/registry';
import { buildTestBundleFiles } from '@metarec/registry/testing';
import { checkService, encodeUrlPart as encodePart, fuzzRandom as prng, NASTY_NUMBERS, NASTY_STRINGS, NASTY_VALUES, RAW_URL_PARTS, recordScenarioFigures } from '@metarec/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestRegistry, TEST_TOKENS, type TestRegistry } from './testing/test-registry.js';

const postgres = await checkService('postgres');
const WRITE = { authorization: `Bearer ${TEST_TOKENS.trainer}` };
const JSON_WRITE = { ...WRITE, 'content-type': 'application/json' };

/** What the fuzz reads of a route. */
interface FuzzRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'HEAD';
  readonly path: string;
  readonly body?: unknown;
}

describe.skipIf(!postgres.available)(`registry input validation at the edge ${postgres.available ? '' : `(skipped: ${postgres.skipReason})`}`, () => {
  let t: TestRegistry;
  let manifest: BundleManifest;

  beforeAll(async () => {
    t = await startTestRegistry(postgres.address, { maxUploadBytes: 1024 * 1024 });
    const bundle = buildTestBundleFiles({ seed: 1, metrics: { ndcg10: 0.3 } });
    for (const file of bundle.manifest.files) {
      await t.app.inject({ method: 'PUT', url: `${API_PREFIX}/blobs/${file.sha256}`, headers: { ...WRITE, 'content-type': 'application/octet-stream' }, payload: bundle.files.get(file.path) ?? Buffer.alloc(0) });
    }
    manifest = bundle.manifest;
    expect((await t.app.inject({ method: 'POST', url: `${API_PREFIX}/models/melu/versions`, headers: WRITE, payload: { manifest } })).statusCode).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers out-of-range numbers, NULs, control characters and lone surrogates with a 400 naming the field', async () => {
    // Raw JSON text: JSON.stringify would escape the lone surrogate anyway, this keeps the cases literal.
    const cases: [string, string, string, string][] = [
      ['PUT', '/models/melu/aliases/production', '{"version": 2147483648}', 'version'],
      ['PUT', '/models/melu/aliases/production', '{"version": 1, "reason": "a\\u0000b"}', 'reason'],
      ['PUT', '/models/melu/aliases/production', '{"version": 1, "reason": "\\ud800"}', 'reason'],
      ['POST', '/models', '{"name": "nul", "description": "a\\u0000b"}', 'description'],
      ['POST', '/models', '{"name": "surrogate", "description": "x\\udc00y"}', 'description'],
      ['POST', '/models', '{"name": "bell", "description": "\\u0007"}', 'description'],
      ['POST', '/models/melu/versions/1/archive', '{"reason": "a\\u0000"}', 'reason'],
      ['POST', '/models/melu/aliases/production/rollback', '{"reason": "\\ud800"}', 'reason'],
      ['POST', '/models/melu/versions', '{"manifest": {}, "version": 2147483648}', 'version'],
      ['POST', '/models/melu/versions/import', '{"path": "x", "version": 2147483648}', 'version'],
      ['POST', '/models/melu/versions/import', '{"path": "a\\u0000"}', 'path'],
    ];
    for (const [method, path, payload, field] of cases) {
      const res = await t.app.inject({ method: method as 'PUT', url: `${API_PREFIX}${path}`, headers: JSON_WRITE, payload });
      expect({ path, payload, status: res.statusCode, code: (res.json() as { code: string }).code, field: (res.json() as { field?: string }).field }).toEqual({
        path,
        payload,
        status: 400,
        code: 'REG_INVALID_INPUT',
        field,
      });
    }
  });

  it('reads query numbers as plain decimal integers only (no hex, exponents, blanks or signs)', async () => {
    for (const query of ['limit=0x10', 'limit=1e2', 'limit=%2016', 'limit=+5', 'limit=', 'limit=5.0']) {
      const res = await t.app.inject({ method: 'GET', url: `${API_PREFIX}/models/melu/aliases/production/history?${query}` });
      expect({ query, status: res.statusCode, field: (res.json() as { field?: string }).field }).toEqual({ query, status: 400, field: 'limit' });
    }
    for (const query of ['after=0x10', 'timeoutMs=1e3', 'after=-0']) {
      const res = await t.app.inject({ method: 'GET', url: `${API_PREFIX}/models/melu/aliases/production/wait?${query}${query.startsWith('timeoutMs') ? '' : '&timeoutMs=0'}` });
      expect({ query, status: res.statusCode }).toEqual({ query, status: 400 });
    }
    expect((await t.app.inject({ method: 'GET', url: `${API_PREFIX}/models/melu/aliases/production/history?limit=16` })).statusCode).not.toBe(400);
  });

  it('refuses a manifest holding a NUL or a lone surrogate anywhere, naming the field', async () => {
    for (const [bad, field] of [
      [{ ...manifest, lineage: { ...manifest.lineage, trainingSpec: { note: 'a\u0000b' } } }, 'manifest.lineage.trainingSpec.note'],
      [{ ...manifest, labels: { dataset: '\ud800' } }, 'manifest.labels.dataset'],
      [{ ...manifest, lineage: { ...manifest.lineage, trainingSpec: { 'k\u0000': 1 } } }, 'manifest.lineage.trainingSpec'],
    ] as const) {
      const payload = JSON.stringify({ manifest: bad });
      const res = await t.app.inject({ method: 'POST', url: `${API_PREFIX}/models/melu/versions`, headers: JSON_WRITE, payload });
      expect({ status: res.statusCode, code: (res.json() as { code: string }).code, field: (res.json() as { field?: string }).field }).toEqual({ status: 400, code: 'REG_MANIFEST_INVALID', field });
    }
  });

  it('never answers 5xx, whatever a caller sends to any route (seeded fuzz)', async () => {
    const random = prng(17);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const failures: string[] = [];
    // Server internals that must never reach a client: file system paths, stack frames, socket errors.
    const leaksInternals = (body: string): boolean => [t.artifactDir, tmpdir(), process.cwd(), '    at ', 'node_modules', 'ECONN'].some((secret) => body.includes(secret));
    const routes = Object.entries(ROUTES) as [string, FuzzRoute][];
    const statuses: number[] = [];
    for (let i = 0; i < 3000; i += 1) {
      const [id, route] = pick(routes);
      // Path params: sometimes a valid value so the handler gets past the name checks.
      const url = route.path.replace(/:([a-z0-9]+)|\*/g, (match: string) => {
        const valid = match === ':model' ? 'melu' : match === ':alias' ? 'production' : match === ':version' ? '1' : match === ':ref' ? '1' : match === ':sha256' ? (manifest.files[0]?.sha256 ?? '') : 'weights.bin';
        const roll = random();
        return roll < 0.5 ? valid : roll < 0.6 ? pick(RAW_URL_PARTS) : encodePart(pick(NASTY_STRINGS));
      });
      const query = random() < 0.5 ? '' : `?${['limit', 'time', 'after', 'timeoutMs'].map((k) => `${k}=${random() < 0.1 ? pick(RAW_URL_PARTS) : encodePart(String(pick(NASTY_VALUES)))}`).join('&')}`;
      // Each field: absent, valid (so the request gets past the other checks) or hostile.
      const valid: Record<string, unknown> = { version: 1, reason: 'fuzz', override: random() < 0.5, name: `fuzz${i}`, description: 'd', path: 'bundle', manifest };
      const body: Record<string, unknown> = {};
      for (const [field, good] of Object.entries(valid)) {
        const roll = random();
        if (roll < 0.45) {
          body[field] = good;
        } else if (roll < 0.85) {
          body[field] = field === 'manifest' ? { ...manifest, labels: { x: pick(NASTY_STRINGS) }, lineage: { ...manifest.lineage, trainingSpec: { [pick(NASTY_STRINGS)]: pick(NASTY_VALUES) } } } : pick(NASTY_VALUES);
        }
      }
      const binary = route.body === 'binary';
      const payload = binary ? Buffer.from(String(pick(NASTY_STRINGS))) : random() < 0.1 ? pick(['{', 'null', '[]', '"x"', '\u0000', '{"version":1e999}']) : JSON.stringify(body);
      const res = await t.app.inject({
        method: route.method,
        url: `${API_PREFIX}${url}${route.method === 'GET' && id === 'waitAlias' ? `${query === '' ? '?' : `${query}&`}timeoutMs=0` : query}`,
        headers: { ...WRITE, 'content-type': binary ? 'application/octet-stream' : 'application/json' },
        ...(route.method === 'GET' || route.method === 'HEAD' ? {} : { payload }),
      });
      statuses.push(res.statusCode);
      if (res.statusCode >= 500 || leaksInternals(res.body)) {
        failures.push(`${route.method} ${url}${query} ${typeof payload === 'string' ? payload.slice(0, 200) : '<binary>'} -> ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    // The pages, probes and documents outside the API table, and bodies of the wrong content type.
    for (let i = 0; i < 300; i += 1) {
      const nasty = random() < 0.2 ? pick(RAW_URL_PARTS) : encodePart(pick(NASTY_STRINGS));
      const url = pick([`/ui/models/${nasty}`, `/?q=${nasty}`, '/healthz', '/readyz', '/metrics', '/openapi.json', `/${nasty}`, `${API_PREFIX}/models/${nasty}/versions`]);
      const res = await t.app.inject({
        method: pick(['GET', 'POST', 'PUT'] as const),
        url,
        headers: { ...WRITE, 'content-type': pick(['application/octet-stream', 'application/json', 'text/plain', 'multipart/form-data']) },
        payload: pick(['', '{}', '\u0000', JSON.stringify({ version: pick(NASTY_NUMBERS) })]),
      });
      statuses.push(res.statusCode);
      if (res.statusCode >= 500 || leaksInternals(res.body)) {
        failures.push(`${url} -> ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    recordScenarioFigures('registry HTTP fuzz (seeded)', {
      requestsSent: statuses.length,
      status2xx: statuses.filter((s) => s < 300).length,
      status4xx: statuses.filter((s) => s >= 400 && s < 500).length,
      status5xx: statuses.filter((s) => s >= 500).length,
      leaking: failures.length,
    });
  }, 120_000);
});
