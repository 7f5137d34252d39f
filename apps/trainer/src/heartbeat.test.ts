import type { RunStatus } from '@metarec/training';
import { describe, expect, it } from 'vitest';

import { heartbeatVerdict } from './heartbeat.js';

const running = (updatedAtMs: number): RunStatus => ({
  status: 'running',
  runId: 'r1',
  step: 3,
  totalSteps: 10,
  epoch: 0,
  loss: 0.5,
  validationLoss: null,
  etaSec: 12,
  startedAtMs: 0,
  updatedAtMs,
});

describe('heartbeatVerdict', () => {
  it('is healthy while the running status is younger than the limit, and not once it is older', () => {
    expect(heartbeatVerdict(running(10_000), 10_000 + 600_000, 600_000).healthy).toBe(true);
    const stale = heartbeatVerdict(running(10_000), 10_000 + 600_001, 600_000);
    expect(stale).toEqual({ healthy: false, reason: 'status not updated for 600001 ms (> 600000 ms) at step 3' });
  });

  it('is unhealthy without a status or after a failure, healthy once completed', () => {
    expect(heartbeatVerdict(undefined, 0, 1000).healthy).toBe(false);
    expect(heartbeatVerdict({ status: 'failed', runId: 'r1', step: 2, code: 'TRAIN_X', reason: 'x', finishedAtMs: 0 }, 0, 1000)).toEqual({ healthy: false, reason: 'failed at step 2: TRAIN_X' });
    expect(heartbeatVerdict({ status: 'completed', runId: 'r1', steps: 10, modelDir: 'm', lineagePath: 'l', finishedAtMs: 0 }, 1e12, 1000).healthy).toBe(true);
  });
});
