import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';

import { API_PREFIX, type ModelRegistry, RegistryClient, type RunStore } from '@metarec/registry';
import { writeTestBundle } from '@metarec/registry/testing';
import { checkService, encodeUrlPart, fuzzRandom, NASTY_STRINGS, NASTY_VALUES, RAW_URL_PARTS } from '@metarec/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runRoutes } from './http/runs-routes.js';
import { versionRoutes } from './http/version-routes.js';
import { startTestRegistry, TEST_TOKENS, type TestRegistry } from './testing/test-registry.js';

const postgres = await checkService('postgres');

describe.skipIf(!postgres.available)(`registry runs, version metadata, paging and comparison over HTTP ${postgres.available ? '' : `(skipped: ${postgres.skipReason})`}`, () => {
  let t: TestRegistry;
  let url: string;
  let work: string;
  let trainer: RegistryClient;
  let anonymous: RegistryClient;

  beforeAll(async () => {
    t = await startTestRegistry(postgres.address);
    url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    work = await mkdtemp(join(tmpdir(), 'registry-runs-api-'));
    trainer = new RegistryClient({ baseUrl: url, token: TEST_TOKENS.trainer });
    anonymous = new RegistryClient({ baseUrl: url });
    for (const seed of [1, 2, 3]) {
      await writeTestBundle(join(work, `b${seed}`), { seed, metrics: { ndcg10: 0.1 * seed } });
      await trainer.registerBundleDir('api-model', join(work, `b${seed}`));
    }
  });
  afterAll(async () => {
    await t?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('writes need a token, reads do not; the run\'s creator is the token principal', async () => {
    await expect(anonymous.createRun({ runId: 'run-1', experiment: 'api-model', params: {} })).rejects.toMatchObject({ code: 'REG_AUTH_MISSING' });
    const created = await trainer.createRun({ runId: 'run-1', experiment: 'api-model', params: { lr: 0.01 }, tags: { dataset: 'ml-100k' } });
    expect(created).toMatchObject({ created: true, run: { createdBy: 'trainer', status: 'running' } });
    expect((await trainer.createRun({ runId: 'run-1', experiment: 'api-model', params: { lr: 0.01 } })).created).toBe(false);
    await expect(anonymous.logMetrics('run-1', [{ key: 'train/loss', step: 1, value: 1 }])).rejects.toMatchObject({ code: 'REG_AUTH_MISSING' });
    await trainer.logMetrics('run-1', [{ key: 'train/loss', step: 1, value: 1 }, { key: 'train/loss', step: 2, value: 0.5 }]);
    expect(await anonymous.metricHistory('run-1', 'train/loss')).toEqual([{ key: 'train/loss', step: 1, value: 1 }, { key: 'train/loss', step: 2, value: 0.5 }]);
    const detail = await anonymous.getRun('run-1');
    expect(detail.versions).toEqual([{ model: 'api-model', version: 1, archived: false }]);
  });

  it('filters the run list by repeated tags and a metric, and names a bad filter', async () => {
    await trainer.createRun({ runId: 'run-2', experiment: 'api-model', params: {}, tags: { dataset: 'ml-100k', arch: 'wide' } });
    await trainer.logMetrics('run-2', [{ key: 'train/loss', step: 9, value: 0.2 }]);
    expect((await anonymous.listRuns({ tag: ['dataset=ml-100k', 'arch=wide'] })).runs.map((r) => r.runId)).toEqual(['run-2']);
    expect((await anonymous.listRuns({ metric: 'train/loss<=0.5' })).runs.map((r) => r.runId)).toEqual(['run-2', 'run-1']);
    const page = await anonymous.listRuns({ limit: 1 });
    expect(page.runs.map((r) => r.runId)).toEqual(['run-2']);
    expect((await anonymous.listRuns({ limit: 1, pageToken: page.nextPageToken ?? '' })).runs.map((r) => r.runId)).toEqual(['run-1']);
    await expect(anonymous.listRuns({ metric: 'loss~1' })).rejects.toMatchObject({ code: 'REG_INVALID_INPUT', field: 'metric' });
    // @ts-expect-error the generated types allow only the run statuses; the server's own check is under test.
    await expect(anonymous.listRuns({ status: 'paused' })).rejects.toMatchObject({ code: 'REG_INVALID_INPUT', field: 'status' });
  });

  it('edits version metadata with a token only, pages versions, compares versions', async () => {
    await expect(anonymous.updateVersion('api-model', 2, { description: 'x' })).rejects.toMatchObject({ code: 'REG_AUTH_MISSING' });
    const edited = await new RegistryClient({ baseUrl: url, token: TEST_TOKENS.alice }).updateVersion('api-model', 2, { description: 'candidate', setTags: { team: 'recsys' } });
    expect(edited).toMatchObject({ description: 'candidate', tags: { team: 'recsys' }, metaUpdatedBy: 'alice' });
    const first = await anonymous.listVersionsPage('api-model', { limit: 2 });
    expect(first.versions.map((v) => v.version)).toEqual([3, 2]);
    expect(first.nextPageToken).toBe('2');
    expect((await anonymous.listVersions('api-model')).map((v) => v.version)).toEqual([3, 2, 1]);
    const comparison = await anonymous.compareVersions('api-model', [3, 1]);
    expect(comparison.rows.find((r) => r.method === 'melu' && r.metric === 'ndcg10')?.values).toEqual([0.30000000000000004, 0.1]);
    expect(Object.keys(comparison.training)).toEqual(['train/loss']);
    await expect(anonymous.compareVersions('api-model', [1])).rejects.toMatchObject({ code: 'REG_INVALID_INPUT', field: 'versions' });
  });

  it('never answers 5xx to anything sent to the new routes and pages (seeded fuzz)', async () => {
    const random = fuzzRandom(18);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    // The route tables only; their handlers are not called here.
    const tables = [...runRoutes({ runs: {} as RunStore, auth: { verifier: undefined, readAuth: false } }), ...versionRoutes({ registry: {} as ModelRegistry, runs: {} as RunStore, auth: { verifier: undefined, readAuth: false } })];
    const routes = [
      ...tables.map((r) => ({ method: r.method, path: `${API_PREFIX}${r.url}` })),
      ...['/ui/runs', '/ui/runs/:runId', '/ui/models/:model/versions/:version', '/ui/models/:model/compare'].map((path) => ({ method: 'GET' as const, path })),
    ];
    const failures: string[] = [];
    for (let i = 0; i < 1500; i += 1) {
      const route = pick(routes);
      const path = route.path.replace(/:([A-Za-z0-9]+)|\*/g, (match: string) => {
        const valid = match === ':model' ? 'api-model' : match === ':version' ? '2' : match === ':runId' ? 'run-1' : 'lineage.json';
        const roll = random();
        return roll < 0.5 ? valid : roll < 0.6 ? pick(RAW_URL_PARTS) : encodeUrlPart(pick(NASTY_STRINGS));
      });
      const query = random() < 0.4 ? '' : `?${['q', 'status', 'tag', 'metric', 'limit', 'pageToken', 'key', 'versions', 'v', 'experiment'].filter(() => random() < 0.5).map((k) => `${k}=${random() < 0.1 ? pick(RAW_URL_PARTS) : encodeUrlPart(String(pick(NASTY_VALUES)))}`).join('&')}`;
      const valid: Record<string, unknown> = {
        runId: `fuzz-${i}`, experiment: 'api-model', params: { a: 1 }, name: 'n', tags: { k: 'v' }, status: 'finished', setTags: { k: 'v' }, removeTags: ['k'], description: 'd',
        metrics: [{ key: 'train/loss', step: i, value: 1 }], path: 'x.json', sha256: 'a'.repeat(64), bytes: 1,
      };
      const body: Record<string, unknown> = {};
      for (const [field, good] of Object.entries(valid)) {
        const roll = random();
        if (roll < 0.45) {
          body[field] = good;
        } else if (roll < 0.85) {
          body[field] = field === 'params' || field === 'tags' || field === 'setTags' ? { [pick(NASTY_STRINGS)]: pick(NASTY_VALUES) } : field === 'metrics' ? [{ key: pick(NASTY_STRINGS), step: pick(NASTY_VALUES), value: pick(NASTY_VALUES) }] : pick(NASTY_VALUES);
        }
      }
      const payload = random() < 0.1 ? pick(['{', 'null', '[]', '\u0000']) : JSON.stringify(body);
      const res = await t.app.inject({
        method: route.method,
        url: `${path}${query}`,
        headers: { authorization: `Bearer ${TEST_TOKENS.trainer}`, 'content-type': 'application/json' },
        ...(route.method === 'GET' ? {} : { payload }),
      });
      if (res.statusCode >= 500 || res.body.includes('    at ') || res.body.includes(t.artifactDir)) {
        failures.push(`${route.method} ${path}${query} ${route.method === 'GET' ? '' : payload.slice(0, 300)} -> ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
