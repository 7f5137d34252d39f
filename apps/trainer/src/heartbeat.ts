import type { RunStatus } from '@metarec/training';

/** The verdict of a coordinator's health check: healthy or not, and why (printed by the check). */
export interface HeartbeatVerdict {
  readonly healthy: boolean;
  readonly reason: string;
}

/**
 * Is the coordinator of a run alive? It writes the run's status after every meta-step, so a
 * `running` status younger than `maxAgeMs` is its heartbeat; `completed` is healthy (the process is
 * about to exit 0), `failed` or a missing status is not.
 */
export function heartbeatVerdict(status: RunStatus | undefined, nowMs: number, maxAgeMs: number): HeartbeatVerdict {
  if (status === undefined) {
    return { healthy: false, reason: 'no status for the run yet (or it expired)' };
  }
  switch (status.status) {
    case 'running': {
      const ageMs = nowMs - status.updatedAtMs;
      return ageMs <= maxAgeMs
        ? { healthy: true, reason: `step ${status.step}/${status.totalSteps}, status ${ageMs} ms old` }
        : { healthy: false, reason: `status not updated for ${ageMs} ms (> ${maxAgeMs} ms) at step ${status.step}` };
    }
    case 'completed':
      return { healthy: true, reason: `completed after ${status.steps} steps` };
    case 'failed':
      return { healthy: false, reason: `failed at step ${status.step}: ${status.code}` };
  }
}
