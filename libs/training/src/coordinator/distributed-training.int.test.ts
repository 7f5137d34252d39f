import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { createMetaModel, inProcessExecutor, initialLoopState, initParams, loadModelDir, runMetaTrainingSync, selectBackend } from '@metarec/meta-learning';
import { recordScenarioFigures } from '@metarec/runtime/testing';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { trainingKeys } from '../blobs/training-keys.js';
import { SHARD_QUEUE } from '../queue/job-contracts.js';
import { shardJobId } from './shard-barrier.js';

import { syntheticTaskSet } from '../data/synthetic-task-set.js';
import { adamOptionsOf, metaStepOptionsOf, modelConfigOf } from '../spec/spec-options.js';
import type { RunSpec } from '../spec/run-spec.js';
import { localRedisForIntegrationTests, startLocalRedis, type LocalRedis } from '../testing/local-redis.js';
import { maxAbsDiff } from '../testing/max-abs-diff.js';
import { tinyRunSpec } from '../testing/tiny-run-spec.js';
import { TrainingHarness } from '../testing/training-harness.js';

const available = localRedisForIntegrationTests();

describe.skipIf(!available)('distributed meta-training on a private Redis', () => {
  let redis: LocalRedis;
  let out: string;
  let h: TrainingHarness;

  beforeAll(async () => {
    await selectBackend({ preferred: 'wasm' });
    redis = await startLocalRedis();
    out = await mkdtemp(path.join(tmpdir(), 'metarec-train-'));
  });
  afterEach(async () => {
    await h.close();
  });
  afterAll(async () => {
    await redis?.stop();
    await rm(out, { recursive: true, force: true });
  });

  function spec(overrides: Parameters<typeof tinyRunSpec>[1] = {}): RunSpec {
    return tinyRunSpec(out, overrides);
  }

  it('matches the in-process executor with 1 worker, and 2 workers reach bit-identical parameters', async () => {
    h = new TrainingHarness(redis.url);
    const base = spec();
    // No validation users (the validation share folds into test, so the training users stay): the loop without
    // `validate` returns its last parameters. Id dropout on: every worker
    // must drop the same training rows as the in-process build below.
    const s2 = { ...base, data: { ...base.data, validationFraction: 0, testFraction: 0.4, idDropout: 0.2 } } as RunSpec;
    h.worker();
    const one = await h.coordinator().run(s2, { runId: 'eq-1' });
    h.worker();
    const two = await h.coordinator().run(s2, { runId: 'eq-2' });

    const set = syntheticTaskSet(s2.data as Extract<RunSpec['data'], { kind: 'synthetic-tasks' }>);
    const model = createMetaModel(set.featureLayout, modelConfigOf(s2));
    const local = runMetaTrainingSync(inProcessExecutor(model, set.train, metaStepOptionsOf(s2)), initialLoopState(model.layout, initParams(model), s2.seed), {
      metaBatchSize: s2.metaBatchSize,
      epochs: s2.epochs,
      outerLr: s2.outer.lr,
      schedule: s2.outer.schedule,
      adam: adamOptionsOf(s2),
    });
    expect(one.steps).toBe(local.steps);
    expect(one.steps).toBe(8);
    // Shards are fixed by the spec (not by the worker count), so 1 and 2 workers agree exactly.
    expect(maxAbsDiff(one.lastParams, two.lastParams)).toBe(0);
    // Against the single-process loop only the float summation order differs (shard means re-weighted in float64).
    const diff = maxAbsDiff(one.lastParams, local.lastParams);
    console.log(`distributed vs in-process executor after ${one.steps} steps: max |Δθ| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-5);
    expect(Array.from(one.losses)).toEqual(Array.from(local.losses).map((l) => expect.closeTo(l, 5)));

    const saved = await loadModelDir(one.modelDir);
    expect(maxAbsDiff(saved.params, one.params)).toBe(0);
    const lineage = JSON.parse(await readFile(one.lineagePath, 'utf8')) as Record<string, unknown>;
    expect(lineage).toMatchObject({ runId: 'eq-1', steps: 8, dataVersion: set.dataVersion, schemaFingerprint: expect.stringMatching(/^sha256:/) });
    expect((lineage['evaluation'] as { baselines: object }).baselines).toHaveProperty('itemMean');
  });

  it('support-size sampling changes the training, and 1 and 2 workers still reach bit-identical parameters', async () => {
    h = new TrainingHarness(redis.url);
    const shots = spec({ maxSteps: 3, validateEvery: 0, supportSizes: [1, 2, 'all'] });
    const whole = spec({ maxSteps: 3, validateEvery: 0 });
    h.worker();
    const one = await h.coordinator().run(shots, { runId: 'shots-1' });
    const reference = await h.coordinator().run(whole, { runId: 'whole' });
    h.worker();
    const two = await h.coordinator().run(shots, { runId: 'shots-2' });
    expect(one.steps).toBe(3);
    expect(maxAbsDiff(one.lastParams, two.lastParams)).toBe(0);
    expect(maxAbsDiff(one.lastParams, reference.lastParams)).toBeGreaterThan(1e-6);
  });

  it('a resumed run (coordinator stopped mid-run) equals an uninterrupted one', async () => {
    h = new TrainingHarness(redis.url);
    h.worker();
    const base = spec({ validateEvery: 2 });
    const s = { ...base, data: { ...base.data, idDropout: 0.2 } } as RunSpec;
    const full = await h.coordinator().run(s, { runId: 'full' });

    let stopAt: Promise<void> | null = null;
    const first = h.coordinator({
      onStatus: (st) => {
        if (st.status === 'running' && st.step === 3) {
          stopAt ??= first.close();
        }
      },
    });
    await expect(first.run(s, { runId: 'resumed' })).rejects.toMatchObject({ code: 'TRAIN_CLOSED' });
    const resumed = await h.coordinator().run(s, { runId: 'resumed' });
    expect(h.logger.lines.some((l) => l.message === 'resuming from checkpoint' && l.fields['step'] === 2)).toBe(true);
    expect(resumed.steps).toBe(full.steps);
    expect(maxAbsDiff(resumed.lastParams, full.lastParams)).toBe(0);
    expect(maxAbsDiff(resumed.params, full.params)).toBe(0);
    expect(resumed.lineage.bestStep).toBe(full.lineage.bestStep);
    // The saved model's local update: shrinkage calibrated on the validation users, the same after a resume.
    const adaptation = full.lineage.adaptation;
    expect(adaptation).toMatchObject({ steps: s.inner.steps, lr: s.inner.lr });
    expect(adaptation?.calibration?.candidates.map((c) => c.shrinkage)).toEqual(s.shrinkageGrid);
    expect(adaptation?.shrinkage).toBe(adaptation?.calibration?.candidates.reduce((a, b) => (b.mean < a.mean ? b : a)).shrinkage);
    expect(resumed.lineage.adaptation).toEqual(adaptation);
    // The list head: chosen on the validation users, carried by the bundle, ordering the evaluated lists; the same after a resume.
    expect(full.lineage.listHead).toMatchObject({ validationUsers: expect.any(Number), itemItemL2: expect.any(Number) });
    expect(resumed.lineage.listHead).toEqual(full.lineage.listHead);
    const bundle = await loadModelDir(full.modelDir);
    expect(bundle.listHead?.head.itemIds.length).toBe(full.lineage.listHead?.['items']);
    expect(full.lineage.evaluation?.network?.ndcg10).toEqual(expect.any(Number));
    recordScenarioFigures('coordinator stopped mid-run, resumed', { steps: resumed.steps, resumedFromStep: 2, maxAbsParamDiff: maxAbsDiff(resumed.params, full.params) });
  });

  it('refuses a second coordinator of a running run id and leaves the first one to finish', async () => {
    h = new TrainingHarness(redis.url);
    h.worker();
    const s = spec({ maxSteps: 4 });
    let running!: () => void;
    const started = new Promise<void>((resolve) => (running = resolve));
    const first = h.coordinator({ onStatus: (st) => st.status === 'running' && running() }).run(s, { runId: 'dup' });
    await started;
    await expect(h.coordinator().run(s, { runId: 'dup' })).rejects.toMatchObject({ code: 'TRAIN_RUN_LEASED' });
    const result = await first;
    expect(result.steps).toBe(4);
    recordScenarioFigures('second coordinator of a running run id', { secondRefused: 1, firstRunSteps: result.steps });
  });

  it('survives a Redis restart mid-run and reaches the uninterrupted parameters', async () => {
    h = new TrainingHarness(redis.url);
    h.worker();
    const s = spec({ maxSteps: 5 });
    const full = await h.coordinator().run(s, { runId: 'redis-full' });
    let restarted: Promise<void> | null = null;
    const c = h.coordinator({
      onStatus: (st) => {
        if (st.status === 'running' && st.step === 2) {
          restarted ??= redis.restart(300);
        }
      },
    });
    const r = await c.run(s, { runId: 'redis-restart' });
    await restarted;
    expect(restarted).not.toBeNull();
    expect(r.steps).toBe(5);
    expect(maxAbsDiff(r.lastParams, full.lastParams)).toBe(0);
    const repairs = h.logger.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    console.log(`Redis SIGKILL + restart (AOF everysec) at step 2: warnings ${JSON.stringify([...new Set(repairs)])} x${repairs.length}`);
    recordScenarioFigures('Redis killed and restarted mid-run', { steps: r.steps, repairWarnings: repairs.length, maxAbsParamDiff: maxAbsDiff(r.lastParams, full.lastParams) });
  });

  it('repairs what a Redis restart can lose (spec, parameters, shard jobs) and still matches the uninterrupted run', async () => {
    h = new TrainingHarness(redis.url);
    const s = spec({ maxSteps: 2 });
    h.worker();
    const full = await h.coordinator().run(s, { runId: 'lost-full' });
    await h.close();

    h = new TrainingHarness(redis.url);
    const admin = h.connection();
    const queue = new Queue(SHARD_QUEUE, { connection: admin });
    const running = h.coordinator().run(s, { runId: 'lost' });
    // No worker yet: step 0's shard jobs wait. Drop what an AOF `everysec` crash could lose.
    // tinyRunSpec: 8 tasks per step in shards of 4.
    const deadline = Date.now() + 30_000;
    while ((await queue.getJobCounts('wait'))['wait'] !== 2) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 50));
    }
    await admin.del(trainingKeys.spec('lost'), trainingKeys.params('lost', 0));
    await queue.remove(shardJobId('lost', 0, 1));
    h.worker();
    const r = await running;
    await queue.close();
    expect(h.logger.lines.some((l) => l.message === 'shard result missing; job added again' && l.fields['shard'] === 1)).toBe(true);
    expect(maxAbsDiff(r.lastParams, full.lastParams)).toBe(0);
  });

  it('fails the run with the shard error after the configured attempts (retryable) or at once (poison data)', async () => {
    h = new TrainingHarness(redis.url);
    let loads = 0;
    h.worker({
      loadTaskSet: () => {
        loads += 1;
        return Promise.reject(new Error('offline store partition unreadable'));
      },
    });
    const s = spec({ attempts: 3, backoffMs: 50 });
    const failure = h.coordinator().run(s, { runId: 'flaky' });
    await expect(failure).rejects.toMatchObject({ code: 'TRAIN_SHARD_FAILED' });
    await expect(failure).rejects.toThrow(/after 3 attempt\(s\): offline store partition unreadable/);
    expect(loads).toBeGreaterThanOrEqual(3);
    await h.close();

    h = new TrainingHarness(redis.url);
    h.worker({
      loadTaskSet: async (data) => {
        const set = syntheticTaskSet(data as Extract<RunSpec['data'], { kind: 'synthetic-tasks' }>);
        const broken = set.train.map((t) => ({ ...t, support: { ...t.support, count: 0 } }));
        return { ...set, train: broken };
      },
    });
    const poison = h.coordinator().run(spec({ attempts: 5 }), { runId: 'poison' });
    await expect(poison).rejects.toThrow(/after 1 attempt\(s\): ML_ROWS_INVALID/);
  });
});
