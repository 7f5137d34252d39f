import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { loadModelDir } from '@metarec/meta-learning';
import { readRunStatus, RunStore, TRAINING_KEY_PREFIX, type RunSpecInput } from '@metarec/training';
import { localRedisForIntegrationTests, startLocalRedis, type LocalRedis } from '@metarec/training/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TrainerProcess } from './testing/trainer-process.js';
import { freePort, recordScenarioFigures } from '@metarec/runtime/testing';

const available = localRedisForIntegrationTests();

/**
 * A 22-user synthetic world: 15 training users (8 + 7 per epoch, so 2 shards of up to 4 tasks per
 * step, 4 steps), 7 test users, 6–10 support rows; many inner steps make a shard outlast the 1 s lock.
 */
/** The workers' BullMQ job lock (the trainer's minimum): every shard step of `slowSpec` must outlast it. */
const LOCK_MS = 1000;

function slowSpec(out: string, extra: Partial<RunSpecInput> = {}): RunSpecInput {
  return {
    name: 'process-test',
    data: {
      kind: 'synthetic',
      world: { seed: 3, users: 22, items: 40, interactionsPerUser: { min: 12, max: 16 } },
      queryCount: 6,
      minRatings: 12,
      maxRatings: 40,
      validationFraction: 0,
      testFraction: 0.25,
    },
    // A shard must outlast the job lock (LOCK_MS) by seconds, also on a fast machine: a MeLU-width MLP
    // makes each op compute-bound, so step time scales with the inner steps rather than with dispatch
    // noise (the small [16] MLP gave 0.78–2.6 s per shard at 320 steps from run to run; this one 1.4–2.9 s
    // at 240, 6.5 s at 480, so 360).
    model: { embeddingDim: 16, hidden: [64, 64], activation: 'softplus' },
    inner: { steps: 360, lr: 0.02, l2: 0 },
    outer: { lr: 0.01 },
    metaBatchSize: 8,
    shardSize: 4,
    epochs: 2,
    seed: 5,
    checkpointEvery: 2,
    attempts: 3,
    backoffMs: 200,
    output: { dir: out },
    ...extra,
  };
}

describe.skipIf(!available)('trainer processes on a private Redis', () => {
  let redis: LocalRedis;
  let client: Redis;
  let store: RunStore;
  let out: string;
  let specFile: string;
  let env: Record<string, string>;
  const procs: TrainerProcess[] = [];
  let w1: TrainerProcess;
  let w2: TrainerProcess;

  const trainer = (args: string[], extraEnv: Record<string, string> = {}): TrainerProcess => {
    const p = new TrainerProcess(args, { ...env, ...extraEnv });
    procs.push(p);
    return p;
  };
  const startWorker = async (extra: string[] = []): Promise<TrainerProcess> => {
    const w = trainer(['worker', '--concurrency', '1', ...extra], { TRAINER_PORT: String(await freePort()) });
    await w.waitForLog('trainer worker started');
    return w;
  };
  const waitForStep = async (runId: string, step: number): Promise<void> => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const s = await readRunStatus(store, runId).catch(() => null);
      if (s !== null && (s.status !== 'running' || s.step >= step)) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`run ${runId} did not reach step ${step}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const runToEnd = async (runId: string): Promise<TrainerProcess> => {
    const p = trainer(['run', '--spec', specFile, '--run-id', runId, '--no-progress']);
    const exit = await p.exited;
    expect(exit.code, p.stderr.slice(-2000)).toBe(0);
    return p;
  };
  const weights = async (runId: string): Promise<Float32Array> => (await loadModelDir(path.join(out, runId, 'model'))).params;

  beforeAll(async () => {
    redis = await startLocalRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
    store = new RunStore({ redis: client });
    out = await mkdtemp(path.join(tmpdir(), 'metarec-trainer-'));
    specFile = path.join(out, 'spec.json');
    await writeFile(specFile, JSON.stringify(slowSpec(out)));
    env = { REDIS_URL: redis.url, METAREC_BACKEND: 'wasm', LOCK_DURATION_MS: String(LOCK_MS), STALLED_INTERVAL_MS: String(LOCK_MS / 2), SHUTDOWN_DEADLINE_MS: '30000', GIT_COMMIT: 'test-commit' };
    [w1, w2] = await Promise.all([startWorker(), startWorker()]);
  });
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await client?.quit();
    await redis?.stop();
    await rm(out, { recursive: true, force: true });
  });

  it('runs with 2 workers; steps longer than the job lock are never marked stalled; /healthz and /metrics answer', async () => {
    const run = await runToEnd('reference');
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ runId: 'reference', steps: 4 });
    const shardTimes = [w1, w2].flatMap((w) => w.logs('job failed'));
    expect(shardTimes).toEqual([]);
    expect([...w1.logs('job stalled (its worker stopped renewing the lock)'), ...w2.logs('job stalled (its worker stopped renewing the lock)')]).toEqual([]);
    const status = trainer(['status', 'reference']);
    await status.exited;
    expect(JSON.parse(status.stdout)).toMatchObject({ status: 'completed', steps: 4 });
    const port = (w1.logs('trainer worker started')[0]?.['port'] as number) ?? 0;
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/metarec_trainer_jobs_total\{queue="metarec-train-shards",outcome="completed",app="trainer"\} [1-9]/);
    expect(metrics).toMatch(/metarec_trainer_shard_step_seconds_sum\{app="trainer"\} [0-9.]+/);
    // The point of the compute thread: each shard took longer than the job lock.
    const sum = Number(/metarec_trainer_shard_step_seconds_sum\{app="trainer"\} ([0-9.]+)/.exec(metrics)?.[1]);
    const count = Number(/metarec_trainer_shard_step_seconds_count\{app="trainer"\} ([0-9.]+)/.exec(metrics)?.[1]);
    console.log(`mean shard step ${(sum / count).toFixed(2)} s with a ${LOCK_MS / 1000} s lock`);
    expect(sum / count).toBeGreaterThan(LOCK_MS / 1000);
  });

  it('a coordinator killed with SIGKILL resumes from its checkpoint to the same parameters', async () => {
    const first = trainer(['run', '--spec', specFile, '--run-id', 'coord-kill', '--no-progress']);
    await waitForStep('coord-kill', 3);
    first.signal('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const second = await runToEnd('coord-kill');
    expect(second.logs('resuming from checkpoint')[0]).toMatchObject({ step: 2 });
    const [killed, reference] = [await weights('coord-kill'), await weights('reference')];
    expect(Array.from(killed)).toEqual(Array.from(reference));
    recordScenarioFigures('coordinator kill -9, resumed (trainer processes)', { resumedFromStep: Number(second.logs('resuming from checkpoint')[0]?.['step']), weights: killed.length, weightsDiffering: killed.filter((w, i) => w !== reference[i]).length });
  });

  it('a worker killed with SIGKILL mid-step: its shard is retried on the other worker and the run completes identically', async () => {
    const run = trainer(['run', '--spec', specFile, '--run-id', 'worker-kill', '--no-progress']);
    await waitForStep('worker-kill', 1);
    // Both workers are computing a shard of step 1 now.
    await new Promise((r) => setTimeout(r, 300));
    w1.signal('SIGKILL');
    const exit = await run.exited;
    expect(exit.code, run.stderr.slice(-2000)).toBe(0);
    const stalled = w2.logs('job stalled (its worker stopped renewing the lock)').length;
    expect(stalled).toBeGreaterThanOrEqual(1);
    const [killed, reference] = [await weights('worker-kill'), await weights('reference')];
    expect(Array.from(killed)).toEqual(Array.from(reference));
    recordScenarioFigures('worker kill -9 mid-step (trainer processes)', { stalledShardsRetried: stalled, weights: killed.length, weightsDiffering: killed.filter((w, i) => w !== reference[i]).length });
  });

  it('SIGTERM lets a worker finish its shard and exit 0; nothing it held stalls', async () => {
    const w3 = await startWorker(['--runs']);
    const run = trainer(['run', '--spec', specFile, '--run-id', 'graceful', '--no-progress']);
    await waitForStep('graceful', 1);
    await new Promise((r) => setTimeout(r, 300));
    w2.signal('SIGTERM');
    const exit = await w2.exited;
    expect(exit.code, w2.stderr.slice(-2000)).toBe(0);
    expect(w2.logs('shutdown finished')[0]).toMatchObject({ ok: true });
    expect((await run.exited).code).toBe(0);
    expect(w3.logs('job stalled (its worker stopped renewing the lock)')).toEqual([]);
    expect(Array.from(await weights('graceful'))).toEqual(Array.from(await weights('reference')));
  });

  it('a schedule is created, fires a run on a --runs worker, is listed and removed', async () => {
    const schedFile = path.join(out, 'sched.json');
    await writeFile(schedFile, JSON.stringify(slowSpec(out, { maxSteps: 1, inner: { steps: 2, lr: 0.02, l2: 0 } })));
    const create = trainer(['schedule', '--cron', '*/2 * * * * *', '--spec', schedFile, '--id', 'every-2s']);
    expect((await create.exited).code, create.stderr).toBe(0);
    expect(JSON.parse(create.stdout)).toMatchObject({ id: 'every-2s', cron: '*/2 * * * * *' });
    const deadline = Date.now() + 60_000;
    let completed: string | null = null;
    while (completed === null && Date.now() < deadline) {
      const keys = await client.keys(`${TRAINING_KEY_PREFIX}:r-job-*:status`);
      for (const key of keys) {
        const s = JSON.parse((await client.get(key)) ?? '{}') as { status?: string; runId?: string };
        if (s.status === 'completed') {
          completed = s.runId ?? null;
        }
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(completed).toMatch(/^r-job-/);
    const list = trainer(['schedules', 'list']);
    await list.exited;
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ id: 'every-2s', iterations: expect.any(Number) })]);
    const remove = trainer(['schedules', 'remove', 'every-2s']);
    expect((await remove.exited).code).toBe(0);
    const after = trainer(['schedules', 'list']);
    await after.exited;
    expect(JSON.parse(after.stdout)).toEqual([]);
  });
});
