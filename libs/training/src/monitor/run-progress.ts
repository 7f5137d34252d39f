import type { RunStatus } from '../status/run-status.js';

/** A run as the dashboard lists it: status, progress and ETA (small JSON). */
export interface RunProgress {
  readonly runId: string;
  /** `stalled`: running, but its coordinator has not written a status for longer than `staleAfterMs`. */
  readonly status: 'running' | 'stalled' | 'completed' | 'failed';
  /** Steps done (the next step to run). */
  readonly step: number;
  /**
   * Last step of the run (once completed: the steps it ran, as early stopping may end it sooner);
   * null for a failed run, whose status does not keep it.
   */
  readonly totalSteps: number | null;
  /** `step / totalSteps` in [0, 1]; 1 once completed, 0 when failed (its total is unknown). */
  readonly progress: number;
  /** Mean steps per second of the current coordinator session; null before its first step. */
  readonly stepsPerSec: number | null;
  /** Seconds to the last step from now at `stepsPerSec`; null when unknown or not running. */
  readonly etaSec: number | null;
  /** When the run should end (ms since epoch); null with `etaSec`. */
  readonly etaAtMs: number | null;
  readonly loss: number | null;
  readonly validationLoss: number | null;
  /** Last status write (finish time once completed or failed), ms since epoch. */
  readonly updatedAtMs: number;
  /** Failure code and reason (failed runs only). */
  readonly failure: { readonly code: string; readonly reason: string } | null;
}

/** Options of {@link runProgress}. */
export interface RunProgressOptions {
  /** Clock, ms since epoch. */
  readonly nowMs: number;
  /**
   * A running run whose last status is older than this is `stalled` (its coordinator died or
   * lost Redis; a resume or a retried run job continues it), ms. @defaultValue 120_000
   */
  readonly staleAfterMs?: number;
}

/** Defaults of {@link RunProgressOptions}. */
export const DEFAULT_RUN_PROGRESS_OPTIONS = { staleAfterMs: 120_000 } as const;

/**
 * A run's progress and ETA from its stored status. The ETA is the steps left over the session's
 * step rate, less the time since the status was written (the coordinator writes once per step, so
 * between writes the estimate keeps counting down). Statuses written before `stepsPerSec` existed
 * fall back to their stored ETA, also counted down.
 */
export function runProgress(status: RunStatus, options: RunProgressOptions): RunProgress {
  const o = { ...DEFAULT_RUN_PROGRESS_OPTIONS, ...options };
  if (status.status === 'completed') {
    return finished(status.runId, 'completed', status.steps, status.steps, status.finishedAtMs, null);
  }
  if (status.status === 'failed') {
    return finished(status.runId, 'failed', status.step, null, status.finishedAtMs, { code: status.code, reason: status.reason });
  }
  const sinceUpdateSec = Math.max(0, o.nowMs - status.updatedAtMs) / 1000;
  const stalled = o.nowMs - status.updatedAtMs > o.staleAfterMs;
  const rate = status.stepsPerSec ?? null;
  const left = Math.max(0, status.totalSteps - status.step);
  const fromRate = rate !== null && rate > 0 ? left / rate : status.etaSec;
  const etaSec = stalled || fromRate === null ? null : Math.max(0, fromRate - sinceUpdateSec);
  return {
    runId: status.runId,
    status: stalled ? 'stalled' : 'running',
    step: status.step,
    totalSteps: status.totalSteps,
    progress: fraction(status.step, status.totalSteps),
    stepsPerSec: rate,
    etaSec,
    etaAtMs: etaSec === null ? null : Math.round(o.nowMs + etaSec * 1000),
    loss: status.loss,
    validationLoss: status.validationLoss,
    updatedAtMs: status.updatedAtMs,
    failure: null,
  };
}

function finished(
  runId: string,
  status: 'completed' | 'failed',
  step: number,
  totalSteps: number | null,
  atMs: number,
  failure: RunProgress['failure'],
): RunProgress {
  return {
    runId,
    status,
    step,
    totalSteps,
    progress: status === 'completed' ? 1 : 0,
    stepsPerSec: null,
    etaSec: null,
    etaAtMs: null,
    loss: null,
    validationLoss: null,
    updatedAtMs: atMs,
    failure,
  };
}

function fraction(step: number, total: number): number {
  return total > 0 ? Math.min(1, Math.max(0, step / total)) : 0;
}
