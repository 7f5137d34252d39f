import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { HeldOutEvaluation } from '@metarec/evaluation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { tinyRunSpec } from '../testing/tiny-run-spec.js';
import type { RunStatus } from '../status/run-status.js';
import { RegistryRunTracker, type RunTrackingClient } from './registry-run-tracker.js';
import type { RunLineage } from './run-output.js';

type Call = [string, ...unknown[]];

/** A client recording its calls; `failOn` makes one method reject once. */
function recordingClient(failOn?: string): { client: RunTrackingClient; calls: Call[] } {
  const calls: Call[] = [];
  let failed = false;
  const record = (name: string, ...args: unknown[]): Promise<never> => {
    calls.push([name, ...args]);
    if (name === failOn && !failed) {
      failed = true;
      return Promise.reject(new Error('registry down'));
    }
    return Promise.resolve(undefined as never);
  };
  return {
    calls,
    client: {
      createRun: (body) => record('createRun', body),
      logMetrics: (runId, metrics) => record('logMetrics', runId, metrics),
      updateRun: (runId, body) => record('updateRun', runId, body),
      logRunArtifact: (runId, path, bytes, contentType) => record('logRunArtifact', runId, path, Buffer.from(bytes).toString(), contentType),
    },
  };
}

const running = (step: number, loss: number | null, validationLoss: number | null = null): RunStatus => ({
  status: 'running', runId: 'run-t', step, totalSteps: 10, epoch: 0, loss, validationLoss, etaSec: null, startedAtMs: 0, updatedAtMs: 0,
});

describe('RegistryRunTracker', () => {
  let dir: string;
  const warnings: string[] = [];
  const logger = { info: () => undefined, warn: (_f: unknown, m: string) => warnings.push(m), error: () => undefined };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'run-tracker-'));
    await writeFile(join(dir, 'lineage.json'), '{"runId":"run-t"}');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the run with its spec once, sends loss per step in batches, and ends with the evaluation table, lineage and status', async () => {
    const { client, calls } = recordingClient();
    const spec = tinyRunSpec(dir);
    const tracker = new RegistryRunTracker({ client, experiment: 'melu', spec, logger, flushEveryPoints: 3 });
    tracker.onStatus(running(1, 1.5));
    tracker.onStatus(running(2, 1.2, 1.4));
    tracker.onStatus(running(3, Number.NaN));
    tracker.onStatus(running(4, 1.0));
    const evaluation = { users: 3, k: 3, ratingScale: { min: 1, max: 5 }, model: { mae: 0.7, rmse: 0.9, nmae: 0.175, nrmse: 0.225, ndcg: 0.8 }, baselines: { globalMean: { mae: 0.9, rmse: 1, nmae: 0.225, nrmse: 0.25, ndcg: 0.7 }, userMean: { mae: 0.8, rmse: 1, nmae: 0.2, nrmse: 0.25, ndcg: 0.7 }, itemMean: { mae: 0.85, rmse: 1, nmae: 0.2125, nrmse: 0.25, ndcg: 0.7 } } } satisfies HeldOutEvaluation;
    const lineage = { steps: 4, evaluation, dataVersion: 'v1', spec } as Partial<RunLineage> as RunLineage;
    await tracker.finish({ lineage, lineagePath: join(dir, 'lineage.json') });

    expect(calls.map((c) => c[0])).toEqual(['createRun', 'logMetrics', 'logMetrics', 'logMetrics', 'logRunArtifact', 'updateRun']);
    expect(calls[0]?.[1]).toEqual({ runId: 'run-t', experiment: 'melu', params: spec });
    expect(calls[1]?.[2]).toEqual([
      { key: 'train/loss', step: 1, value: 1.5 },
      { key: 'train/loss', step: 2, value: 1.2 },
      { key: 'validation/loss', step: 2, value: 1.4 },
    ]);
    // Step 3's NaN loss is not a value the registry stores.
    expect(calls[2]?.[2]).toEqual([{ key: 'train/loss', step: 4, value: 1 }]);
    expect(calls[3]?.[2]).toContainEqual({ key: 'eval/held-out-users/melu/mae', step: 4, value: 0.7 });
    expect(calls[3]?.[2]).toContainEqual({ key: 'eval/held-out-users/global_mean/ndcg@3', step: 4, value: 0.7 });
    expect(calls[4]?.slice(1)).toEqual(['run-t', 'lineage.json', '{"runId":"run-t"}', 'application/json']);
    expect(calls[5]?.slice(1)).toEqual(['run-t', { status: 'finished' }]);
  });

  it('logs a failed call and carries on; a failed run is marked failed with its code', async () => {
    const { client, calls } = recordingClient('logMetrics');
    const tracker = new RegistryRunTracker({ client, experiment: 'melu', spec: tinyRunSpec(dir), logger, flushEveryPoints: 1 });
    tracker.onStatus(running(1, 2));
    tracker.onStatus(running(2, 1.9));
    tracker.onStatus({ status: 'failed', runId: 'run-t', step: 2, code: 'TRAIN_DIVERGED', reason: 'nan', finishedAtMs: 1 });
    await tracker.settle();
    expect(calls.map((c) => c[0])).toEqual(['createRun', 'logMetrics', 'logMetrics', 'updateRun']);
    expect(calls[3]?.slice(1)).toEqual(['run-t', { status: 'failed', setTags: { failure: 'TRAIN_DIVERGED' } }]);
    expect(warnings).toEqual(['run tracking: log loss failed; training goes on']);
  });
});
