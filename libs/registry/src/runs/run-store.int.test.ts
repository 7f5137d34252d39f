import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { checkService } from '@metarec/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DirectoryArtifactStore } from '../artifacts/directory-artifact-store.js';
import { compareVersions } from '../compare/compare-versions.js';
import { AliasManager } from '../registry/alias-manager.js';
import { ModelRegistry } from '../registry/model-registry.js';
import { buildTestBundleFiles, type TestBundleOptions } from '../testing/bundle-builders.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { RunStore } from './run-store.js';

const postgres = await checkService('postgres');

describe.skipIf(!postgres.available)(`runs, version metadata, paging and comparison on PostgreSQL ${postgres.available ? '' : `(skipped: ${postgres.skipReason})`}`, () => {
  let db: TestDatabase;
  let root: string;
  let store: DirectoryArtifactStore;
  let registry: ModelRegistry;
  let runs: RunStore;

  async function register(model: string, options: TestBundleOptions = {}): Promise<number> {
    const bundle = buildTestBundleFiles(options);
    for (const bytes of bundle.files.values()) {
      await store.put(bytes);
    }
    return (await registry.registerVersion({ model, manifest: bundle.manifest, actor: 'trainer' })).version.version;
  }

  beforeAll(async () => {
    db = await createTestDatabase(postgres.address);
    root = await mkdtemp(join(tmpdir(), 'registry-runs-'));
    store = new DirectoryArtifactStore({ root });
    registry = new ModelRegistry({ pool: db.pool, store });
    runs = new RunStore({ pool: db.pool, store });
  });
  afterAll(async () => {
    await db?.drop();
    await rm(root, { recursive: true, force: true });
  });

  it('creates a run once: a retry with the same parameters returns it, other parameters are refused', async () => {
    const first = await runs.createRun({ runId: 'run-a', experiment: 'melu', params: { epochs: 3, outer: { lr: 0.001 } }, tags: { dataset: 'ml-100k' }, actor: 'trainer' });
    expect(first).toMatchObject({ created: true, run: { runId: 'run-a', name: 'run-a', status: 'running', tags: { dataset: 'ml-100k' }, createdBy: 'trainer' } });
    const retry = await runs.createRun({ runId: 'run-a', experiment: 'melu', params: { outer: { lr: 0.001 }, epochs: 3 }, actor: 'trainer' });
    expect(retry.created).toBe(false);
    await expect(runs.createRun({ runId: 'run-a', experiment: 'melu', params: { epochs: 4 }, actor: 'trainer' })).rejects.toMatchObject({ code: 'REG_RUN_CONFLICT', field: 'params' });
    // jsonb refuses U+0000 and lone surrogates: a 400 naming where, not a database error.
    await expect(runs.createRun({ runId: 'run-b', experiment: 'melu', params: { note: { text: 'a\u0000' } }, actor: 'trainer' })).rejects.toMatchObject({ code: 'REG_INVALID_INPUT', field: 'params.note.text' });
    await expect(runs.listRuns({ tags: { k: 'x\udc00y' } })).rejects.toMatchObject({ code: 'REG_INVALID_INPUT', field: 'tag.k' });
  });

  it('keeps metric history per step, replaces a re-logged step, reports each metric at its latest step', async () => {
    await runs.createRun({ runId: 'run-m', experiment: 'melu', params: {}, actor: 'trainer' });
    await runs.logMetrics('run-m', [
      { key: 'train/loss', step: 1, value: 1.5 },
      { key: 'train/loss', step: 2, value: 1.2 },
      { key: 'validation/loss', step: 2, value: 1.3 },
    ]);
    await runs.logMetrics('run-m', [{ key: 'train/loss', step: 2, value: 1.1 }, { key: 'train/loss', step: 3, value: 0.9 }]);
    expect(await runs.metricHistory('run-m', 'train/loss')).toEqual([
      { key: 'train/loss', step: 1, value: 1.5 },
      { key: 'train/loss', step: 2, value: 1.1 },
      { key: 'train/loss', step: 3, value: 0.9 },
    ]);
    expect((await runs.getRun('run-m')).latestMetrics).toEqual({ 'train/loss': { step: 3, value: 0.9 }, 'validation/loss': { step: 2, value: 1.3 } });
    await expect(runs.logMetrics('run-m', [{ key: 'bad key', step: 1, value: 1 }])).rejects.toMatchObject({ code: 'REG_INVALID_NAME', field: 'metrics[0].key' });
    await expect(runs.logMetrics('run-m', [{ key: 'x', step: -1, value: 1 }])).rejects.toMatchObject({ code: 'REG_INVALID_INPUT' });
    await expect(runs.logMetrics('nope', [{ key: 'x', step: 1, value: 1 }])).rejects.toMatchObject({ code: 'REG_RUN_NOT_FOUND' });
  });

  it('ends a running run once; an ended run keeps its status; parameters never change', async () => {
    await runs.createRun({ runId: 'run-s', experiment: 'melu', params: { a: 1 }, actor: 'trainer' });
    const ended = await runs.updateRun({ runId: 'run-s', status: 'failed', setTags: { note: 'oom' } });
    expect(ended).toMatchObject({ status: 'failed', tags: { note: 'oom' } });
    expect(ended.finishedAt).not.toBeNull();
    await expect(runs.updateRun({ runId: 'run-s', status: 'finished' })).rejects.toMatchObject({ code: 'REG_RUN_CONFLICT', field: 'status' });
    expect(await runs.updateRun({ runId: 'run-s', status: 'failed', removeTags: ['note'] })).toMatchObject({ status: 'failed', tags: {} });
    await expect(db.pool.query(`UPDATE registry_runs SET params = '{"a":2}' WHERE run_id = 'run-s'`)).rejects.toMatchObject({ code: 'RG003' });
  });

  it('lists runs newest first in pages, filtered by name, status, tag and a metric comparison', async () => {
    for (let i = 0; i < 5; i += 1) {
      await runs.createRun({ runId: `list-${i}`, name: `sweep lr ${i}`, experiment: 'sweep', params: { i }, tags: { parity: i % 2 === 0 ? 'even' : 'odd' }, actor: 'trainer' });
      await runs.logMetrics(`list-${i}`, [{ key: 'validation/loss', step: 10, value: 1 - i / 10 }]);
    }
    await runs.updateRun({ runId: 'list-4', status: 'finished' });
    const first = await runs.listRuns({ experiment: 'sweep' }, { limit: 2 });
    expect(first.items.map((r) => r.runId)).toEqual(['list-4', 'list-3']);
    expect(first.items[0]?.latestMetrics['validation/loss']).toEqual({ step: 10, value: 0.6 });
    const second = await runs.listRuns({ experiment: 'sweep' }, { limit: 2, pageToken: first.nextPageToken ?? '' });
    const third = await runs.listRuns({ experiment: 'sweep' }, { limit: 2, pageToken: second.nextPageToken ?? '' });
    expect([...second.items, ...third.items].map((r) => r.runId)).toEqual(['list-2', 'list-1', 'list-0']);
    expect(third.nextPageToken).toBeNull();
    expect((await runs.listRuns({ experiment: 'sweep', search: 'LR 3' })).items.map((r) => r.runId)).toEqual(['list-3']);
    expect((await runs.listRuns({ experiment: 'sweep', status: 'finished' })).items.map((r) => r.runId)).toEqual(['list-4']);
    expect((await runs.listRuns({ experiment: 'sweep', tags: { parity: 'odd' } })).items.map((r) => r.runId)).toEqual(['list-3', 'list-1']);
    expect((await runs.listRuns({ experiment: 'sweep', metric: { key: 'validation/loss', op: '<', value: 0.75 } })).items.map((r) => r.runId)).toEqual(['list-4', 'list-3']);
    expect((await runs.listRuns({ experiment: 'sweep', metric: { key: 'missing', op: '<', value: 9 } })).items).toEqual([]);
  });

  it('keeps artifacts immutable and links the versions registered from the run', async () => {
    await runs.createRun({ runId: 'run-7', experiment: 'linked', params: {}, actor: 'trainer' });
    const a = await store.put(Buffer.from('{"lineage":1}'));
    const b = await store.put(Buffer.from('{"lineage":2}'));
    await runs.logArtifact({ runId: 'run-7', path: 'lineage.json', sha256: a.sha256, bytes: a.bytes, contentType: 'application/json' });
    await runs.logArtifact({ runId: 'run-7', path: 'lineage.json', sha256: a.sha256, bytes: a.bytes });
    await expect(runs.logArtifact({ runId: 'run-7', path: 'lineage.json', sha256: b.sha256, bytes: b.bytes })).rejects.toMatchObject({ code: 'REG_RUN_CONFLICT', field: 'path' });
    await expect(runs.logArtifact({ runId: 'run-7', path: 'x.json', sha256: 'f'.repeat(64), bytes: 1 })).rejects.toMatchObject({ code: 'REG_ARTIFACT_MISSING' });
    expect((await runs.readArtifact('run-7', 'lineage.json')).bytes.toString()).toBe('{"lineage":1}');
    const version = await register('linked-model', { seed: 7 });
    expect((await runs.getRun('run-7')).versions).toEqual([{ model: 'linked-model', version, archived: false }]);
  });

  it('edits a version\'s description and tags while its content stays immutable', async () => {
    const v = await register('meta-model', { seed: 11 });
    const edited = await registry.updateVersionMetadata({ model: 'meta-model', version: v, description: 'baseline for Q1', setTags: { owner: 'alice', stage: 'candidate' }, actor: 'alice' });
    expect(edited).toMatchObject({ description: 'baseline for Q1', tags: { owner: 'alice', stage: 'candidate' }, metaUpdatedBy: 'alice' });
    const again = await registry.updateVersionMetadata({ model: 'meta-model', version: v, removeTags: ['stage'], actor: 'bob' });
    expect(again).toMatchObject({ description: 'baseline for Q1', tags: { owner: 'alice' }, metaUpdatedBy: 'bob', contentSha256: edited.contentSha256 });
    await expect(registry.updateVersionMetadata({ model: 'meta-model', version: 99, description: 'x', actor: 'alice' })).rejects.toMatchObject({ code: 'REG_VERSION_NOT_FOUND' });
    await expect(db.pool.query(`UPDATE registry_versions SET manifest = '{}'::jsonb`)).rejects.toMatchObject({ code: 'RG001' });
  });

  it('pages versions newest first, the alias audit log newest first, and models by name', async () => {
    for (let i = 0; i < 5; i += 1) {
      await register('paged', { seed: 200 + i });
    }
    const first = await registry.listVersions('paged', { limit: 2 });
    expect(first.items.map((v) => v.version)).toEqual([5, 4]);
    const second = await registry.listVersions('paged', { limit: 2, pageToken: first.nextPageToken ?? '' });
    const third = await registry.listVersions('paged', { limit: 2, pageToken: second.nextPageToken ?? '' });
    expect([...second.items, ...third.items].map((v) => v.version)).toEqual([3, 2, 1]);
    expect(third.nextPageToken).toBeNull();
    await expect(registry.listVersions('paged', { limit: 0 })).rejects.toMatchObject({ code: 'REG_INVALID_INPUT', field: 'limit' });
    await expect(registry.listVersions('paged', { pageToken: 'x' })).rejects.toMatchObject({ code: 'REG_INVALID_INPUT', field: 'pageToken' });
    const aliases = new AliasManager({ pool: db.pool, store });
    for (const v of [1, 2, 3, 4, 5]) {
      await aliases.move({ model: 'paged', alias: 'staging', version: v, actor: 'trainer', reason: `to v${v}` });
    }
    const newest = await aliases.historyPage('paged', 'staging', { limit: 3 });
    const oldest = await aliases.historyPage('paged', 'staging', { limit: 3, pageToken: newest.nextPageToken ?? '' });
    expect([...newest.items, ...oldest.items].map((e) => e.toVersion)).toEqual([5, 4, 3, 2, 1]);
    expect(oldest.nextPageToken).toBeNull();
    const models = await registry.listModels({ limit: 1 });
    expect(models.items).toHaveLength(1);
    expect(models.nextPageToken).toBe(models.items[0]?.name);
  });

  it('compares versions: tables side by side, curves from their runs, comparable only on one evaluation set', async () => {
    const v1 = await register('cmp', { seed: 301, metrics: { ndcg10: 0.3, mae: 0.9 } });
    const v2 = await register('cmp', { seed: 302, metrics: { ndcg10: 0.35 } });
    await runs.createRun({ runId: 'run-301', experiment: 'cmp', params: {}, actor: 'trainer' });
    await runs.logMetrics('run-301', [
      { key: 'train/loss', step: 2, value: 0.8 },
      { key: 'train/loss', step: 1, value: 1 },
      { key: 'cold_start/mae/melu', step: 5, value: 0.95 },
      { key: 'other', step: 1, value: 3 },
    ]);
    const comparison = await compareVersions({ registry, runs, model: 'cmp', versions: [v2, v1] });
    expect(comparison.versions).toEqual([v2, v1]);
    expect(comparison.comparable).toBe(true);
    expect(comparison.rows).toContainEqual({ scenario: 'new_user', method: 'melu', metric: 'ndcg10', values: [0.35, 0.3] });
    expect(comparison.rows).toContainEqual({ scenario: 'new_user', method: 'melu', metric: 'mae', values: [null, 0.9] });
    // run-302 was never recorded: v2 has tables, no curves.
    expect(comparison.training).toEqual({ 'train/loss': [{ version: v1, points: [{ step: 1, value: 1 }, { step: 2, value: 0.8 }] }] });
    expect(comparison.coldStart).toEqual({ 'cold_start/mae/melu': [{ version: v1, points: [{ step: 5, value: 0.95 }] }] });
    await expect(compareVersions({ registry, runs, model: 'cmp', versions: [v1] })).rejects.toMatchObject({ code: 'REG_INVALID_INPUT', field: 'versions' });
    await expect(compareVersions({ registry, runs, model: 'cmp', versions: [v1, 42] })).rejects.toMatchObject({ code: 'REG_VERSION_NOT_FOUND' });
  });
});
