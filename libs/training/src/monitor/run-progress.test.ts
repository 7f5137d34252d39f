import { describe, expect, it } from 'vitest';

import type { RunStatus } from '../status/run-status.js';
import { runProgress } from './run-progress.js';

const running = (over: Partial<Extract<RunStatus, { status: 'running' }>> = {}): RunStatus => ({
  status: 'running',
  runId: 'r1',
  step: 40,
  totalSteps: 100,
  epoch: 1,
  loss: 0.5,
  validationLoss: 0.6,
  etaSec: 999,
  stepsPerSec: 2,
  startedAtMs: 0,
  updatedAtMs: 10_000,
  ...over,
});

describe('runProgress', () => {
  it('estimates the ETA from the step rate: steps left over steps per second', () => {
    const p = runProgress(running(), { nowMs: 10_000 });
    expect(p).toMatchObject({ status: 'running', step: 40, totalSteps: 100, progress: 0.4, stepsPerSec: 2, etaSec: 30, etaAtMs: 40_000 });
  });

  it('counts the ETA down between status writes, never below zero', () => {
    expect(runProgress(running(), { nowMs: 15_000 }).etaSec).toBe(25);
    expect(runProgress(running({ step: 99 }), { nowMs: 15_000 }).etaSec).toBe(0);
  });

  it('falls back to the stored ETA for a status without a step rate, and has none before the first step', () => {
    expect(runProgress(running({ stepsPerSec: undefined, etaSec: 50 }), { nowMs: 12_000 }).etaSec).toBe(48);
    expect(runProgress(running({ stepsPerSec: null, etaSec: null }), { nowMs: 12_000 })).toMatchObject({ etaSec: null, etaAtMs: null, stepsPerSec: null });
  });

  it('marks a run stalled (no ETA) once its status is older than staleAfterMs', () => {
    expect(runProgress(running(), { nowMs: 10_000 + 120_000 }).status).toBe('running');
    const stalled = runProgress(running(), { nowMs: 10_000 + 120_001 });
    expect(stalled).toMatchObject({ status: 'stalled', etaSec: null, progress: 0.4 });
    expect(runProgress(running(), { nowMs: 20_001, staleAfterMs: 10_000 }).status).toBe('stalled');
  });

  it('reports a completed run at full progress and a failed one with its code and reason', () => {
    const done = runProgress({ status: 'completed', runId: 'r2', steps: 80, modelDir: 'm', lineagePath: 'l', finishedAtMs: 5 }, { nowMs: 9 });
    expect(done).toMatchObject({ status: 'completed', step: 80, totalSteps: 80, progress: 1, etaSec: null, updatedAtMs: 5, failure: null });
    const failed = runProgress({ status: 'failed', runId: 'r3', step: 7, code: 'TRAIN_SHARD_FAILED', reason: 'shard 1 failed', finishedAtMs: 6 }, { nowMs: 9 });
    expect(failed).toMatchObject({ status: 'failed', step: 7, totalSteps: null, progress: 0, failure: { code: 'TRAIN_SHARD_FAILED', reason: 'shard 1 failed' } });
  });

  it('clamps progress to [0, 1]', () => {
    expect(runProgress(running({ step: 120 }), { nowMs: 10_000 }).progress).toBe(1);
    expect(runProgress(running({ totalSteps: 0, step: 0 }), { nowMs: 10_000 }).progress).toBe(0);
  });
});
