import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { checkService } from '@metarec/runtime/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DirectoryArtifactStore } from '../artifacts/directory-artifact-store.js';
import { migrate } from '../db/migrate.js';
import type { RegistryError } from '../errors.js';
import { buildTestBundleFiles, type TestBundleOptions } from '../testing/bundle-builders.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { AliasManager } from './alias-manager.js';
import { AliasWatcher } from './alias-watcher.js';
import { ModelRegistry } from './model-registry.js';

const postgres = await checkService('postgres');

describe.skipIf(!postgres.available)(`model registry on PostgreSQL ${postgres.available ? '' : `(skipped: ${postgres.skipReason})`}`, () => {
  let db: TestDatabase;
  let root: string;
  let store: DirectoryArtifactStore;
  let registry: ModelRegistry;
  let aliases: AliasManager;

  async function register(model: string, options: TestBundleOptions = {}, version?: number): Promise<number> {
    const bundle = buildTestBundleFiles(options);
    for (const bytes of bundle.files.values()) {
      await store.put(bytes);
    }
    const result = await registry.registerVersion({ model, manifest: bundle.manifest, actor: 'trainer', ...(version === undefined ? {} : { version }) });
    return result.version.version;
  }

  async function connectListener(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    return client;
  }

  beforeAll(async () => {
    db = await createTestDatabase(postgres.address);
    root = await mkdtemp(join(tmpdir(), 'registry-int-'));
    store = new DirectoryArtifactStore({ root });
    registry = new ModelRegistry({ pool: db.pool, store });
    aliases = new AliasManager({ pool: db.pool, store, gatePolicy: { scenario: 'new_user', metric: 'ndcg10', better: 'higher', tolerance: 0.01 }, pollIntervalMs: 200 });
  });
  afterAll(async () => {
    await db?.drop();
    await rm(root, { recursive: true, force: true });
  });

  it('re-running migrations is a no-op, and an edited migration is refused', async () => {
    expect(await migrate({ pool: db.pool })).toMatchObject({ applied: [], alreadyApplied: [1, 2, 3] });
    await expect(migrate({ pool: db.pool, migrations: [{ id: 1, name: 'initial', sql: 'SELECT 1' }] })).rejects.toMatchObject({ code: 'REG_MIGRATION_FAILED' });
  });

  it('numbers versions per model, densely, under concurrent registrations', async () => {
    const versions = await Promise.all(Array.from({ length: 8 }, (_, i) => register('concurrent', { seed: 100 + i })));
    expect([...versions].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await register('other-model', { seed: 1 })).toBe(1);
    expect((await registry.getModel('concurrent')).versionCount).toBe(8);
  });

  it('keeps versions immutable: other bytes under an existing version are refused, same bytes are idempotent', async () => {
    const v = await register('immutable', { seed: 1 });
    expect(await register('immutable', { seed: 1 }, v)).toBe(v);
    await expect(register('immutable', { seed: 2 }, v)).rejects.toMatchObject({ code: 'REG_VERSION_IMMUTABLE', field: 'version' });
    // Even a direct SQL write cannot change a registered version: the trigger refuses it.
    await expect(db.pool.query(`UPDATE registry_versions SET content_sha256 = repeat('0', 64) WHERE version = $1`, [v])).rejects.toMatchObject({ code: 'RG001' });
    await expect(db.pool.query('DELETE FROM registry_versions')).rejects.toMatchObject({ code: 'RG001' });
  });

  it('refuses a manifest naming a file that was never uploaded', async () => {
    const bundle = buildTestBundleFiles({ seed: 999 });
    await expect(registry.registerVersion({ model: 'missing-blobs', manifest: bundle.manifest, actor: 't' })).rejects.toMatchObject({ code: 'REG_ARTIFACT_MISSING', field: 'manifest.files[0]' });
  });

  it('archives instead of deleting, and refuses to archive an aliased version or alias an archived one', async () => {
    const v1 = await register('archive', { seed: 1 });
    const v2 = await register('archive', { seed: 2 });
    await aliases.move({ model: 'archive', alias: 'staging', version: v1, actor: 'alice', reason: 'test' });
    await expect(registry.archiveVersion({ model: 'archive', version: v1, actor: 'alice', reason: 'still aliased' })).rejects.toMatchObject({ code: 'REG_VERSION_IN_USE' });
    const archived = await registry.archiveVersion({ model: 'archive', version: v2, actor: 'alice', reason: 'superseded' });
    expect(archived.status).toMatchObject({ state: 'archived', archivedBy: 'alice', reason: 'superseded' });
    await expect(aliases.move({ model: 'archive', alias: 'staging', version: v2, actor: 'alice', reason: '' })).rejects.toMatchObject({ code: 'REG_VERSION_ARCHIVED' });
    expect((await registry.readFile('archive', v2, 'weights.bin')).bytes.length).toBe(4096);
  });

  it('gates production on the configured metric, with numbers, and logs an override', async () => {
    const good = await register('gated', { seed: 1, metrics: { ndcg10: 0.30 } });
    const worse = await register('gated', { seed: 2, metrics: { ndcg10: 0.25 } });
    const close = await register('gated', { seed: 3, metrics: { ndcg10: 0.295 } });
    const otherSet = await register('gated', { seed: 4, metrics: { ndcg10: 0.5 }, evaluationSetId: 'other-users' });
    expect((await aliases.move({ model: 'gated', alias: 'production', version: good, actor: 'alice', reason: 'first' })).gate).toMatchObject({ reason: 'no-current-version' });
    const refused = (await aliases.move({ model: 'gated', alias: 'production', version: worse, actor: 'bob', reason: '' }).catch((e: unknown) => e)) as RegistryError;
    expect(refused.code).toBe('REG_GATE_REFUSED');
    expect(refused.message).toContain('0.2500 vs v1 0.3000');
    expect(refused.details?.['gate']).toMatchObject({ candidateValue: 0.25, currentValue: 0.3 });
    await expect(aliases.move({ model: 'gated', alias: 'production', version: otherSet, actor: 'bob', reason: '' })).rejects.toMatchObject({ code: 'REG_GATE_EVAL_SET_MISMATCH' });
    expect((await aliases.resolve('gated', 'production')).version).toBe(good);
    const within = await aliases.move({ model: 'gated', alias: 'production', version: close, actor: 'bob', reason: 'noise' });
    expect(within.gate).toMatchObject({ outcome: 'pass', reason: 'within-tolerance' });
    await expect(aliases.move({ model: 'gated', alias: 'production', version: worse, actor: 'bob', reason: '', override: true })).rejects.toMatchObject({ code: 'REG_INVALID_INPUT', field: 'reason' });
    const overridden = await aliases.move({ model: 'gated', alias: 'production', version: worse, actor: 'carol', reason: 'incident 42: v3 leaks', override: true });
    expect(overridden.event).toMatchObject({ kind: 'override', actor: 'carol', fromVersion: close, toVersion: worse });
    expect(overridden.event?.gate).toMatchObject({ outcome: 'refuse', reason: 'worse-beyond-tolerance' });
    // Staging is not gated.
    expect((await aliases.move({ model: 'gated', alias: 'staging', version: otherSet, actor: 'bob', reason: '' })).event?.kind).toBe('set');
  });

  it('serializes concurrent promotions: one audit entry per real move, a consistent chain and final state', async () => {
    const versions: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      versions.push(await register('race', { seed: 10 + i, metrics: { ndcg10: 0.3 } }));
    }
    const requests = Array.from({ length: 24 }, (_, i) => aliases.move({ model: 'race', alias: 'production', version: versions[i % 4] ?? 1, actor: `pod-${i}`, reason: 'race' }));
    const results = await Promise.all(requests);
    const moves = results.filter((r) => r.moved);
    const history = (await aliases.history('race', 'production')).reverse();
    expect(history).toHaveLength(moves.length);
    expect(history[0]?.fromVersion).toBeNull();
    for (let i = 1; i < history.length; i += 1) {
      expect(history[i]?.fromVersion).toBe(history[i - 1]?.toVersion);
    }
    const final = await aliases.resolve('race', 'production');
    expect(final.version).toBe(history.at(-1)?.toVersion);
    expect(final.eventId).toBe(history.at(-1)?.id);
    // Concurrent promotions of the SAME version: exactly one moves.
    const target = versions.find((v) => v !== final.version) ?? 1;
    const same = await Promise.all(Array.from({ length: 10 }, () => aliases.move({ model: 'race', alias: 'production', version: target, actor: 'x', reason: 'same' })));
    expect(same.filter((r) => r.moved)).toHaveLength(1);
    expect(await aliases.history('race', 'production')).toHaveLength(history.length + 1);
  });

  it('answers "which version at time T" and rolls back to the previous version', async () => {
    const v1 = await register('timeline', { seed: 1 });
    const v2 = await register('timeline', { seed: 2 });
    const before = new Date();
    await new Promise((r) => setTimeout(r, 20));
    await aliases.move({ model: 'timeline', alias: 'production', version: v1, actor: 'a', reason: '' });
    const t1 = new Date();
    await new Promise((r) => setTimeout(r, 20));
    await aliases.move({ model: 'timeline', alias: 'production', version: v2, actor: 'a', reason: '' });
    expect(await aliases.at('timeline', 'production', before)).toBeNull();
    expect((await aliases.at('timeline', 'production', t1))?.toVersion).toBe(v1);
    expect((await aliases.at('timeline', 'production', new Date()))?.toVersion).toBe(v2);
    const rolled = await aliases.rollback({ model: 'timeline', alias: 'production', actor: 'oncall', reason: 'bad canary' });
    expect(rolled.alias.version).toBe(v1);
    expect(rolled.event).toMatchObject({ kind: 'rollback', fromVersion: v2, toVersion: v1, actor: 'oncall' });
    await aliases.move({ model: 'timeline', alias: 'fresh', version: v1, actor: 'a', reason: '' });
    await expect(aliases.rollback({ model: 'timeline', alias: 'fresh', actor: 'a', reason: '' })).rejects.toMatchObject({ code: 'REG_ROLLBACK_NO_PREVIOUS' });
    await expect(db.pool.query('DELETE FROM registry_alias_events')).rejects.toMatchObject({ code: 'RG002' });
  });

  it('wakes a long-poll through LISTEN/NOTIFY within milliseconds of a move', async () => {
    const channel = `reg_${db.schema}`;
    const watcher = new AliasWatcher({ connect: connectListener, channel });
    await watcher.start();
    // A long poll interval: only the notification can wake the waiter quickly.
    const watched = new AliasManager({ pool: db.pool, store, watcher, notifyChannel: channel, pollIntervalMs: 20_000 });
    try {
      const v1 = await register('watched', { seed: 1 });
      const first = await watched.move({ model: 'watched', alias: 'staging', version: v1, actor: 'a', reason: '' });
      const v2 = await register('watched', { seed: 2 });
      const started = Date.now();
      const waiting = watched.waitForChange({ model: 'watched', alias: 'staging', afterEventId: first.alias.eventId, timeoutMs: 10_000 });
      await new Promise((r) => setTimeout(r, 50));
      await watched.move({ model: 'watched', alias: 'staging', version: v2, actor: 'a', reason: '' });
      const result = await waiting;
      expect(result.changed).toBe(true);
      expect(result.alias?.version).toBe(v2);
      expect(Date.now() - started).toBeLessThan(2_000);
      const timedOut = await watched.waitForChange({ model: 'watched', alias: 'staging', afterEventId: result.alias?.eventId ?? 0, timeoutMs: 100 });
      expect(timedOut.changed).toBe(false);
      expect(watcher.subscriberCount).toBe(0);
    } finally {
      await watcher.close();
    }
  });

  it('caches resolved aliases while listening, evicts them when any replica moves one, and stops caching when LISTEN stops', async () => {
    const channel = `reg_cache_${db.schema}`;
    const watcher = new AliasWatcher({ connect: connectListener, channel });
    await watcher.start();
    const replicaA = new AliasManager({ pool: db.pool, store, watcher, notifyChannel: channel });
    const replicaB = new AliasManager({ pool: db.pool, store, notifyChannel: channel });
    const bypass = (version: number): Promise<unknown> =>
      db.pool.query(`UPDATE registry_aliases SET version = $1 WHERE alias = 'staging' AND model_id = (SELECT id FROM registry_models WHERE name = 'cached')`, [version]);
    try {
      const v1 = await register('cached', { seed: 1 });
      const v2 = await register('cached', { seed: 2 });
      // This replica's own NOTIFY evicts once more when it arrives; wait for it before priming.
      const ownNotification = new Promise<void>((resolve) => {
        const off = watcher.onAnyChange((change) => {
          if (change?.model === 'cached') {
            off();
            resolve();
          }
        });
      });
      await replicaA.move({ model: 'cached', alias: 'staging', version: v1, actor: 'a', reason: '' });
      await ownNotification;
      expect((await replicaA.resolve('cached', 'staging')).version).toBe(v1);
      // A write behind the registry's back (no NOTIFY) is not seen: the answer comes from memory.
      await bypass(v2);
      expect((await replicaA.resolve('cached', 'staging')).version).toBe(v1);
      // A move on another replica reaches this one by NOTIFY and evicts the entry.
      const moved = await replicaB.move({ model: 'cached', alias: 'staging', version: v1, actor: 'b', reason: 'from replica B' });
      const deadline = Date.now() + 2_000;
      let seen = await replicaA.resolve('cached', 'staging');
      while (seen.eventId !== moved.alias.eventId && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
        seen = await replicaA.resolve('cached', 'staging');
      }
      expect(seen).toMatchObject({ version: v1, eventId: moved.alias.eventId });
      // Without notifications nothing may be cached.
      await watcher.close();
      await bypass(v2);
      expect((await replicaA.resolve('cached', 'staging')).version).toBe(v2);
    } finally {
      await watcher.close();
    }
  });

  it('reconnects a lost LISTEN connection: caching stops meanwhile, long-polls wake again after', async () => {
    const channel = `reg_reconnect_${db.schema}`;
    const pids: number[] = [];
    const watcher = new AliasWatcher({
      connect: async () => {
        const client = await connectListener();
        pids.push(Number((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid));
        return client;
      },
      channel,
      reconnectDelayMs: 50,
    });
    await watcher.start();
    const manager = new AliasManager({ pool: db.pool, store, watcher, notifyChannel: channel, pollIntervalMs: 20_000 });
    const changes: (string | null)[] = [];
    watcher.onAnyChange((change) => changes.push(change === null ? null : change.model));
    try {
      const v1 = await register('reconnect', { seed: 1 });
      const v2 = await register('reconnect', { seed: 2 });
      const first = await manager.move({ model: 'reconnect', alias: 'staging', version: v1, actor: 'a', reason: '' });
      await db.pool.query('SELECT pg_terminate_backend($1)', [pids[0]]);
      const lostBy = Date.now() + 2_000;
      while (watcher.listening && Date.now() < lostBy) {
        await new Promise((r) => setTimeout(r, 5));
      }
      const restoredBy = Date.now() + 3_000;
      while (!watcher.listening && Date.now() < restoredBy) {
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(watcher.listening).toBe(true);
      expect(pids).toHaveLength(2);
      expect(changes.filter((c) => c === null).length).toBeGreaterThanOrEqual(2);
      const started = Date.now();
      const waiting = manager.waitForChange({ model: 'reconnect', alias: 'staging', afterEventId: first.alias.eventId, timeoutMs: 10_000 });
      await new Promise((r) => setTimeout(r, 50));
      await manager.move({ model: 'reconnect', alias: 'staging', version: v2, actor: 'a', reason: '' });
      expect((await waiting).alias?.version).toBe(v2);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await watcher.close();
    }
  });
});
