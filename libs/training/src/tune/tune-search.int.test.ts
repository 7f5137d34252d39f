import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { selectBackend } from '@metarec/meta-learning';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { TrainingError } from '../errors.js';
import { parseRunSpec, type RunSpec } from '../spec/run-spec.js';
import { localRedisForIntegrationTests, startLocalRedis, type LocalRedis } from '../testing/local-redis.js';
import { tinyRunSpec } from '../testing/tiny-run-spec.js';
import { TrainingHarness } from '../testing/training-harness.js';
import { tuneIdOf, type TuneProgress } from './tune-coordinator.js';
import type { TuningResults } from './tuning-results.js';

const available = localRedisForIntegrationTests();

/** A tiny search: 4 trials, 2 folds of the 26 training users, rungs of 1 and 2 meta-steps (eta 2). */
function searchSpec(outputDir: string, objective: 'mae' | 'ndcg10' = 'mae'): RunSpec {
  return tinyRunSpec(outputDir, {
    search: {
      space: { 'inner.lr': { min: 0.01, max: 0.3, log: true }, 'outer.lr': { values: [0.003, 0.03] } },
      trials: 4,
      folds: 2,
      eta: 2,
      minSteps: 1,
      maxSteps: 2,
      seed: 1,
      objective,
    },
  });
}

/** The table without ids: what must not change when the search is stopped and resumed. */
function table(results: TuningResults): unknown {
  return { rows: results.trials.map(({ trial, seed, params, metrics, status }) => ({ trial, seed, params, metrics, status })), best: results.best };
}

describe.skipIf(!available)('trainer tune on a private Redis', () => {
  let redis: LocalRedis;
  let out: string;
  let h: TrainingHarness;

  beforeAll(async () => {
    await selectBackend({ preferred: 'wasm' });
    redis = await startLocalRedis();
    out = await mkdtemp(path.join(tmpdir(), 'metarec-tune-'));
  });
  afterEach(async () => {
    await h.close();
  });
  afterAll(async () => {
    await redis?.stop();
    await rm(out, { recursive: true, force: true });
  });

  it('runs a search on a worker, resumes it after the coordinator is stopped with the same table, and re-runs no finished trial', async () => {
    h = new TrainingHarness(redis.url);
    h.worker({ trials: true });
    const evaluated = (tuneId: string): string[] =>
      h.logger.lines.filter((l) => l.message === 'tune trial evaluated' && l.fields['tuneId'] === tuneId).map((l) => `${String(l.fields['trial'])}@${String(l.fields['rung'])}`);

    // Reference: never stopped.
    const refSpec = searchSpec(path.join(out, 'ref'));
    const ref = await h.tuneCoordinator({ maxInFlight: 1 }).tune(refSpec);
    expect(ref.results.trials).toHaveLength(4);
    expect(ref.results.rungs).toEqual([1, 2]);
    const promoted = ref.results.trials.filter((t) => t.metrics.length === 2);
    expect(promoted.length).toBeGreaterThanOrEqual(2);
    expect(ref.results.trials.every((t) => t.metrics.every((m) => m !== null && m > 0 && m < 5))).toBe(true);
    expect(ref.results.trials.filter((t) => t.status === 'stopped').length).toBe(4 - promoted.length);
    expect(new Set(ref.results.trials.map((t) => t.seed)).size).toBe(4);
    expect(evaluated(ref.tuneId).sort()).toEqual(ref.results.trials.flatMap((t) => t.metrics.map((_, r) => `${t.trial}@${r}`)).sort());

    // Results file beside the run outputs, and the best configuration as a run spec `trainer run` accepts.
    const written = JSON.parse(await readFile(ref.resultsPath, 'utf8')) as TuningResults;
    expect(ref.resultsPath).toBe(path.join(out, 'ref', ref.tuneId, 'tuning.json'));
    expect(table(written)).toEqual(table(ref.results));
    const best = ref.results.best;
    expect(best?.rung).toBe(1);
    const bestSpec = parseRunSpec(JSON.parse(JSON.stringify(ref.bestSpec)) as unknown);
    expect(bestSpec.search).toBeUndefined();
    expect(bestSpec.inner.lr).toBe(best?.params['inner.lr']);
    expect(bestSpec.outer.lr).toBe(best?.params['outer.lr']);
    expect(bestSpec.seed).toBe(refSpec.seed);
    expect(bestSpec.tuning).toMatchObject({ tuneId: ref.tuneId, objective: 'mae', best: { trial: best?.trial, metric: best?.metric }, resultsPath: ref.resultsPath });
    expect(bestSpec.tuning?.trials.map((t) => t.trial)[0]).toBe(best?.trial);

    // The same search again: refused without resume; resuming a finished search re-runs nothing.
    await expect(h.tuneCoordinator().tune(refSpec)).rejects.toMatchObject({ code: 'TRAIN_TUNE_EXISTS' });
    const again = await h.tuneCoordinator().tune(refSpec, { resume: true });
    expect(table(again.results)).toEqual(table(ref.results));
    expect(evaluated(ref.tuneId)).toHaveLength(ref.results.trials.reduce((n, t) => n + t.metrics.length, 0));

    // Stopped after two results (a job in flight), then resumed by a new coordinator.
    const spec = searchSpec(path.join(out, 'stopped'));
    const tuneId = tuneIdOf(spec);
    const first = h.tuneCoordinator({
      maxInFlight: 1,
      onProgress: (p: TuneProgress) => {
        if (p.results >= 2) {
          void first.close();
        }
      },
    });
    await expect(first.tune(spec)).rejects.toMatchObject({ code: 'TRAIN_CLOSED' });
    expect(evaluated(tuneId).length).toBeGreaterThanOrEqual(2);
    expect(evaluated(tuneId).length).toBeLessThan(evaluated(ref.tuneId).length);
    const resumed = await h.tuneCoordinator({ maxInFlight: 1 }).tune(spec, { resume: true });
    expect(table(resumed.results)).toEqual(table(ref.results));
    const runs = evaluated(tuneId);
    expect(new Set(runs).size).toBe(runs.length);
    expect(runs).toHaveLength(evaluated(ref.tuneId).length);
  });

  it('records a trial whose job fails for good as failed with its reason, and ends without a best spec when none finished', async () => {
    h = new TrainingHarness(redis.url);
    h.worker({
      trials: true,
      // Poison data: unrecoverable, so each trial job fails at its first attempt.
      loadTaskSet: () => Promise.reject(new TrainingError('TRAIN_DATA_EMPTY', 'no users in this store')),
    });
    const spec = searchSpec(path.join(out, 'failing'));
    const result = await h.tuneCoordinator({ maxInFlight: 2 }).tune(spec);
    expect(result.results.trials.map((t) => t.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(result.results.trials.every((t) => t.reason?.includes('TRAIN_DATA_EMPTY') === true)).toBe(true);
    expect(result.results.best).toBeNull();
    expect(result.bestSpec).toBeNull();
  });

  it('maximises nDCG@10 of the held-out folds when that is the objective', async () => {
    h = new TrainingHarness(redis.url);
    h.worker({ trials: true });
    const result = await h.tuneCoordinator({ maxInFlight: 1 }).tune(searchSpec(path.join(out, 'ndcg'), 'ndcg10'));
    const rows = result.results.trials;
    expect(rows.every((t) => t.metrics.every((m) => m !== null && m > 0 && m <= 1))).toBe(true);
    const top = rows.filter((t) => t.metrics.length === 2);
    expect(top.length).toBeGreaterThanOrEqual(1);
    // The first promotion (after eta = 2 results, one job at a time) takes the higher nDCG of trials 0 and 1.
    const [t0, t1] = rows;
    const first = (t0.metrics[0] as number) >= (t1.metrics[0] as number) ? t0 : t1;
    expect(first.metrics).toHaveLength(2);
    expect(result.results.best?.metric).toBe(Math.max(...top.map((t) => t.metrics[1] as number)));
    expect(result.bestSpec?.tuning?.objective).toBe('ndcg10');
  });
});
