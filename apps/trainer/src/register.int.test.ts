import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { RegistryClient, tuningSummaryOf } from '@metarec/registry';
import { createTestDatabase, type TestDatabase } from '@metarec/registry/testing';
import { checkService, freePort } from '@metarec/runtime/testing';
import { localRedisForIntegrationTests, startLocalRedis, type LocalRedis } from '@metarec/training/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TrainerProcess } from './testing/trainer-process.js';

const postgres = await checkService('postgres');
const redisAvailable = localRedisForIntegrationTests();
const REGISTRY_ROOT = fileURLToPath(new URL('../../registry', import.meta.url));
const TOKEN = 'trainer-token-0123456789abcdef';

describe.skipIf(!postgres.available || !redisAvailable)(`trainer run --register ${postgres.available ? '' : `(skipped: ${postgres.skipReason})`}`, () => {
  let db: TestDatabase;
  let redis: LocalRedis;
  let dir: string;
  let registry: ChildProcess;
  let registryUrl: string;
  const procs: TrainerProcess[] = [];

  beforeAll(async () => {
    redis = await startLocalRedis();
    // A private, migrated schema (dropped after), served by the registry process below.
    db = await createTestDatabase(postgres.address);
    dir = await mkdtemp(path.join(tmpdir(), 'trainer-register-'));
    const port = await freePort();
    registryUrl = `http://127.0.0.1:${port}`;
    // The real registry app as its own process (apps never import apps).
    registry = spawn(process.execPath, ['--conditions=@metarec/source', '--import', 'tsx', 'src/main.ts'], {
      cwd: REGISTRY_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: postgres.address,
        REGISTRY_DB_SCHEMA: db.schema,
        REGISTRY_HOST: '127.0.0.1',
        REGISTRY_PORT: String(port),
        REGISTRY_ARTIFACT_DIR: path.join(dir, 'artifacts'),
        REGISTRY_TOKENS: `trainer:${TOKEN}`,
        REGISTRY_NOTIFY_CHANNEL: db.schema,
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ok = await fetch(`${registryUrl}/readyz`).then((r) => r.status === 200, () => false);
      if (ok) {
        break;
      }
      if (Date.now() > deadline || registry.exitCode !== null) {
        throw new Error(`registry did not become ready (exit ${registry.exitCode})`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  /** 10 training and 4 test users of a 14-user world (4 query rows each; split seed 7). */
  function tinySpec(): Record<string, unknown> {
    return {
      data: {
        kind: 'synthetic',
        world: { seed: 1, users: 14, items: 20, interactionsPerUser: { min: 8, max: 10 } },
        queryCount: 4,
        minRatings: 8,
        maxRatings: 20,
        validationFraction: 0,
        testFraction: 0.3,
        splitSeed: 7,
      },
      model: { embeddingDim: 4, hidden: [8] },
      inner: { steps: 1, lr: 0.05 },
      metaBatchSize: 4,
      shardSize: 2,
      maxSteps: 2,
      output: { dir: path.join(dir, 'runs') },
    };
  }

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    registry?.kill('SIGKILL');
    await redis?.stop();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('registers the trained model with its lineage and held-out metrics', async () => {
    const specFile = path.join(dir, 'spec.json');
    await writeFile(specFile, JSON.stringify(tinySpec()));
    const env = { REDIS_URL: redis.url, METAREC_BACKEND: 'wasm', REGISTRY_TOKEN: TOKEN, GIT_COMMIT: 'abcdef1234567' };
    const worker = new TrainerProcess(['worker', '--concurrency', '1'], { ...env, TRAINER_PORT: String(await freePort()) });
    procs.push(worker);
    await worker.waitForLog('trainer worker started');
    const run = new TrainerProcess(['run', '--spec', specFile, '--run-id', 'reg-run', '--no-progress', '--register', registryUrl, '--model', 'melu'], env);
    procs.push(run);
    expect((await run.exited).code, run.stderr.slice(-2000)).toBe(0);
    const summary = JSON.parse(run.stdout.trim()) as { registered: { version: number; created: boolean } };
    expect(summary.registered).toMatchObject({ version: 1, created: true });

    const client = new RegistryClient({ baseUrl: registryUrl });
    const version = await client.getVersion('melu', 1);
    expect(version).toMatchObject({ manifest: { lineage: { trainingRunId: 'reg-run', gitCommit: 'abcdef1234567' }, metrics: { method: 'melu' } } });
    const manifest = (version as unknown as { manifest: { metrics: { scenarios: Record<string, Record<string, unknown>> } } }).manifest;
    expect(Object.keys(manifest.metrics.scenarios['held-out-users'] ?? {}).sort()).toEqual(['bias', 'global_mean', 'item_mean', 'melu', 'popularity', 'user_mean']);

    // The run itself is a registry record: spec, loss per step, evaluation table, lineage, status, linked version.
    const record = await client.getRun('reg-run');
    expect(record).toMatchObject({ experiment: 'melu', status: 'finished', createdBy: 'trainer', params: { maxSteps: 2, metaBatchSize: 4 }, versions: [{ model: 'melu', version: 1, archived: false }] });
    expect(record.artifacts.map((a) => a.path)).toEqual(['lineage.json']);
    expect((await client.metricHistory('reg-run', 'train/loss')).map((p) => p.step)).toEqual([1, 2]);
    const melu = manifest.metrics.scenarios['held-out-users']?.['melu'] as Record<string, number>;
    expect(record.latestMetrics['eval/held-out-users/melu/mae']).toEqual({ step: 2, value: melu['mae'] });
  });

  it('tunes the spec on a worker, writes the best spec, and its registered version shows the tuning table', async () => {
    const specFile = path.join(dir, 'search.json');
    const bestFile = path.join(dir, 'best.json');
    const search = { space: { 'inner.lr': { min: 0.01, max: 0.3, log: true } }, trials: 3, folds: 2, eta: 2, minSteps: 1, maxSteps: 2, seed: 4 };
    await writeFile(specFile, JSON.stringify({ ...tinySpec(), search }));
    const env = { REDIS_URL: redis.url, METAREC_BACKEND: 'wasm', REGISTRY_TOKEN: TOKEN, GIT_COMMIT: 'abcdef1234567' };
    const worker = new TrainerProcess(['worker', '--concurrency', '1'], { ...env, TRAINER_PORT: String(await freePort()) });
    procs.push(worker);
    await worker.waitForLog('trainer worker started');
    const tune = new TrainerProcess(['tune', '--spec', specFile, '--write-spec', bestFile, '--no-progress'], env);
    procs.push(tune);
    expect((await tune.exited).code, tune.stderr.slice(-2000)).toBe(0);
    const table = tune.stdout.split('\n');
    expect(table[0]?.split(/\s+/).filter(Boolean)).toEqual(['trial', 'inner.lr', 'seed', 'mae@1', 'mae@2', 'status']);
    expect(table.filter((l) => /^[* ]\s+\d+\s/.test(l))).toHaveLength(3);
    expect(tune.stdout).toMatch(/best trial \d+, mae \d\.\d{4} at 2 steps/);
    const best = JSON.parse(await readFile(bestFile, 'utf8')) as { search?: unknown; inner: { lr: number }; tuning: { tuneId: string; best: { params: Record<string, number> } } };
    expect(best.search).toBeUndefined();
    expect(best.inner.lr).toBe(best.tuning.best.params['inner.lr']);

    const run = new TrainerProcess(['run', '--spec', bestFile, '--run-id', 'tuned-run', '--no-progress', '--register', registryUrl, '--model', 'tuned'], env);
    procs.push(run);
    expect((await run.exited).code, run.stderr.slice(-2000)).toBe(0);
    const version = await new RegistryClient({ baseUrl: registryUrl }).getVersion('tuned', 1);
    const tuning = tuningSummaryOf(version.manifest.lineage);
    expect(tuning).toMatchObject({ tuneId: best.tuning.tuneId, objective: 'mae', rungs: [1, 2] });
    expect(tuning?.trials).toHaveLength(3);
  });
});
