import type { RunStore } from '../blobs/run-store.js';
import { errorCodeOf, TrainingError } from '../errors.js';
import { readRunStatus } from '../status/read-run-status.js';
import type { TrainingLogger } from '../worker/training-worker.js';
import { runProgress, type RunProgress, type RunProgressOptions } from './run-progress.js';

/** Options of {@link listRuns}. */
export interface ListRunsOptions extends RunProgressOptions {
  readonly store: RunStore;
  /** Receives runs skipped because their status is unreadable. */
  readonly logger: TrainingLogger;
  /** Most recent runs listed. @defaultValue 50 */
  readonly limit?: number;
}

/** Defaults of {@link ListRunsOptions}. */
export const DEFAULT_LIST_RUNS_OPTIONS = { limit: 50 } as const;

/** Largest `limit` accepted: each listed run is one status read. */
export const MAX_LIST_RUNS = 500;

/**
 * The most recently updated runs with their progress and ETA (see {@link runProgress}), newest
 * first, from the coordinators' statuses in Redis. Runs whose status expired are left out; a
 * status that fails its schema is logged and left out.
 * @throws TrainingError `TRAIN_OPTIONS_INVALID` (limit outside 1..{@link MAX_LIST_RUNS}).
 */
export async function listRuns(options: ListRunsOptions): Promise<RunProgress[]> {
  const o = { ...DEFAULT_LIST_RUNS_OPTIONS, ...options };
  if (!Number.isInteger(o.limit) || o.limit < 1 || o.limit > MAX_LIST_RUNS) {
    throw new TrainingError('TRAIN_OPTIONS_INVALID', `ListRunsOptions.limit must be an integer in 1..${MAX_LIST_RUNS}`, { field: 'limit' });
  }
  const ids = await o.store.recentRunIds(o.limit);
  const rows = await Promise.all(
    ids.map(async (runId) => {
      try {
        return runProgress(await readRunStatus(o.store, runId), o);
      } catch (error) {
        const code = errorCodeOf(error);
        if (code === 'TRAIN_RUN_NOT_FOUND') {
          return null;
        }
        if (code === 'TRAIN_PAYLOAD_INVALID') {
          o.logger.warn({ runId, err: (error as Error).message }, 'run status unreadable; left out of the run list');
          return null;
        }
        throw error;
      }
    }),
  );
  return rows.filter((r): r is RunProgress => r !== null);
}
