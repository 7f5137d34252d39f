import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { selectBackend } from '@metarec/meta-learning';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { RunStore } from '../blobs/run-store.js';
import { JOB_SCHEMA_VERSION, RUN_QUEUE, SHARD_QUEUE, TUNE_QUEUE, type ShardJobData } from '../queue/job-contracts.js';
import { localRedisForIntegrationTests, startLocalRedis, type LocalRedis } from '../testing/local-redis.js';
import { tinyRunSpec } from '../testing/tiny-run-spec.js';
import { TrainingHarness } from '../testing/training-harness.js';
import { QueueGauges } from './queue-gauges.js';
import { listRuns } from './run-list.js';
import type { RunProgress } from './run-progress.js';
import { TrainerQueues } from './trainer-queues.js';

const available = localRedisForIntegrationTests();

/** The value of one `metarec_trainer_queue_jobs` series in a scrape (undefined when absent). */
function jobs(text: string, queue: string, state: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`metarec_trainer_queue_jobs{queue="${queue}",state="${state}"} `));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!available)('trainer monitoring on a private Redis', () => {
  let redis: LocalRedis;
  let out: string;
  const harnesses: TrainingHarness[] = [];
  const harness = (): TrainingHarness => {
    const h = new TrainingHarness(redis.url);
    harnesses.push(h);
    return h;
  };

  beforeAll(async () => {
    await selectBackend({ preferred: 'wasm' });
    redis = await startLocalRedis();
    out = await mkdtemp(path.join(tmpdir(), 'metarec-monitor-'));
  });
  afterEach(async () => {
    for (const h of harnesses.splice(0).reverse()) {
      await h.close();
    }
    const flush = harness().connection();
    await flush.flushall();
    await harnesses.splice(0)[0]?.close();
  });
  afterAll(async () => {
    await redis?.stop();
    await rm(out, { recursive: true, force: true });
  });

  it('gauges report the real job counts per queue and state as jobs are added and fail', async () => {
    const h = harness();
    const queues = new TrainerQueues({ connection: h.connection() });
    const registry = new Registry();
    new QueueGauges({ registry, queues: queues.queues, logger: h.logger });
    const [shards, runs] = queues.queues;
    // Shard jobs of a run with no stored spec: the worker fails them (TRAIN_RUN_NOT_FOUND) after their one attempt.
    const data = (shard: number): ShardJobData => ({ v: JOB_SCHEMA_VERSION, runId: 'ghost', step: 0, shard, taskIndices: [0], paramsKey: 'none', paramsVersion: 0, dataVersion: 'd' });
    await shards.add('shard', data(0), { jobId: 'ghost_0_0', attempts: 1 });
    await shards.add('shard', data(1), { jobId: 'ghost_0_1', attempts: 1 });
    await shards.add('shard', data(2), { jobId: 'ghost_0_2', attempts: 1, delay: 600_000 });
    await runs.add('run', { v: JOB_SCHEMA_VERSION, spec: {} });

    const before = await registry.metrics();
    expect(jobs(before, SHARD_QUEUE, 'waiting')).toBe(2);
    expect(jobs(before, SHARD_QUEUE, 'delayed')).toBe(1);
    expect(jobs(before, SHARD_QUEUE, 'failed')).toBe(0);
    expect(jobs(before, RUN_QUEUE, 'waiting')).toBe(1);
    expect(jobs(before, TUNE_QUEUE, 'waiting')).toBe(0);
    expect(before).toContain(`metarec_trainer_queue_up{queue="${SHARD_QUEUE}"} 1`);

    h.worker();
    const after = await until('two failed shard jobs', async () => {
      const text = await registry.metrics();
      return jobs(text, SHARD_QUEUE, 'failed') === 2 ? text : undefined;
    });
    expect(jobs(after, SHARD_QUEUE, 'waiting')).toBe(0);
    expect(jobs(after, SHARD_QUEUE, 'active')).toBe(0);
    expect(jobs(after, SHARD_QUEUE, 'delayed')).toBe(1);
    // This worker takes no run jobs: the run job still waits.
    expect(jobs(after, RUN_QUEUE, 'waiting')).toBe(1);
    expect(after).toContain(`metarec_trainer_queue_paused{queue="${RUN_QUEUE}"} 0`);
    await runs.pause();
    const paused = await registry.metrics();
    expect(paused).toContain(`metarec_trainer_queue_paused{queue="${RUN_QUEUE}"} 1`);
    expect(jobs(paused, RUN_QUEUE, 'waiting')).toBe(1);
    await queues.close();
  });

  it('lists runs newest first, leaves out unreadable and expired statuses, and trims index entries older than the status lifetime', async () => {
    const h = harness();
    const redis = h.connection();
    const store = new RunStore({ redis, metaTtlMs: 1000 });
    const now = Date.now();
    const running = (runId: string, updatedAtMs: number): Record<string, unknown> => ({
      status: 'running', runId, step: 1, totalSteps: 4, epoch: 0, loss: 1, validationLoss: null, etaSec: 3, stepsPerSec: 1, startedAtMs: updatedAtMs - 1000, updatedAtMs,
    });
    await store.putStatus('old', running('old', now - 500), now - 500);
    await store.putStatus('new', running('new', now), now);
    await store.putStatus('bad', { status: 'exploded' }, now - 100);
    const warnings: string[] = [];
    const logger = { info: (): void => undefined, error: (): void => undefined, warn: (_f: unknown, m: string): void => void warnings.push(m) };
    const rows = await listRuns({ store, logger, nowMs: now });
    expect(rows.map((r) => r.runId)).toEqual(['new', 'old']);
    expect(warnings).toEqual(['run status unreadable; left out of the run list']);
    expect((await listRuns({ store, logger, nowMs: now, limit: 1 })).map((r) => r.runId)).toEqual(['new']);
    await expect(listRuns({ store, logger, nowMs: now, limit: 0 })).rejects.toMatchObject({ code: 'TRAIN_OPTIONS_INVALID' });

    // After the status lifetime the statuses are gone (left out); the next write trims their index entries.
    await new Promise((r) => setTimeout(r, 1100));
    expect(await listRuns({ store, logger, nowMs: Date.now() })).toEqual([]);
    await store.putStatus('fresh', running('fresh', Date.now()));
    expect(await store.recentRunIds(10)).toEqual(['fresh']);
  });

  it('a run failed by a transient shard fault resumes after its failed shards are retried (the board\'s retry); the run list shows progress and a step-rate ETA', async () => {
    const spec = tinyRunSpec(out, { attempts: 1, backoffMs: 50 });
    const runId = 'dash-retry';
    // Worker A cannot read its data (a transient fault): every shard of step 0 fails its one attempt.
    const a = harness();
    a.worker({ loadTaskSet: () => Promise.reject(new Error('offline store partition unreadable')) });
    const h = harness();
    const connection = h.connection();
    const store = new RunStore({ redis: connection });
    const queues = new TrainerQueues({ connection });
    const [shards] = queues.queues;
    await expect(h.coordinator().run(spec, { runId })).rejects.toMatchObject({ code: 'TRAIN_SHARD_FAILED' });
    const failedCount = await until('every shard of step 0 failed', async () => {
      const counts = await shards.getJobCounts('failed', 'waiting', 'active');
      return counts['failed'] > 0 && counts['waiting'] === 0 && counts['active'] === 0 ? counts['failed'] : undefined;
    });
    await a.close();
    const failedRow = (await listRuns({ store, logger: h.logger, nowMs: Date.now() })).find((r) => r.runId === runId);
    expect(failedRow).toMatchObject({ status: 'failed', step: 0, failure: { code: 'TRAIN_SHARD_FAILED' } });

    // Worker B is healthy. Retrying moves each failed job back to waiting with its data unchanged (BullMQ's
    // `job.retry('failed')`, which bull-board's retry button calls); its gradient lands under the shard's result key.
    h.worker();
    const failed = await shards.getFailed();
    expect(failed).toHaveLength(failedCount);
    for (const job of failed) {
      await job.retry('failed');
    }
    await until('retried shards completed', async () => ((await shards.getJobCounts('completed'))['completed'] === failedCount ? true : undefined));

    // Resumed under the same id, the coordinator re-adds step 0's jobs (ids exist: no-op) and reads the retried results.
    const resumed = h.coordinator().run(spec, { runId });
    let settled = false;
    const settle = (): void => {
      settled = true;
    };
    resumed.then(settle, settle);
    const seen: RunProgress[] = [];
    while (!settled) {
      const row = (await listRuns({ store, logger: h.logger, nowMs: Date.now() })).find((r) => r.runId === runId);
      if (row?.status === 'running' && row.etaSec !== null) {
        seen.push(row);
      }
      await new Promise((r) => setTimeout(r, 30));
    }
    const result = await resumed;
    expect(result.steps).toBeGreaterThan(1);
    expect(seen.length).toBeGreaterThan(0);
    for (const row of seen) {
      expect(row.totalSteps).toBe(result.steps);
      expect(row.progress).toBeCloseTo(row.step / result.steps, 10);
      expect(row.stepsPerSec).toBeGreaterThan(0);
      // Steps left over the session's rate, counted down since the status write (at most one poll old).
      const full = (result.steps - row.step) / (row.stepsPerSec ?? 1);
      expect(row.etaSec).toBeLessThanOrEqual(full + 1e-9);
      expect(row.etaSec).toBeGreaterThanOrEqual(Math.max(0, full - 5));
    }
    const done = (await listRuns({ store, logger: h.logger, nowMs: Date.now() })).find((r) => r.runId === runId);
    expect(done).toMatchObject({ status: 'completed', step: result.steps, totalSteps: result.steps, progress: 1, etaSec: null });
    await queues.close();
  });
});
