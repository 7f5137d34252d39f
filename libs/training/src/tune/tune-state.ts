import { z } from 'zod';

/** Version of the stored search state; another version is refused (start a new search). */
export const TUNE_STATE_VERSION = 1;

const searchValue = z.union([z.number(), z.string(), z.boolean()]);

/** One rung's result of a trial, as the coordinator recorded it. */
const rungResultSchema = z.object({
  /** Mean over folds of the objective; null = training diverged. */
  metric: z.number().nullable(),
  foldMetrics: z.array(z.number().nullable()),
  diverged: z.string().nullable(),
});

const trialStateSchema = z.object({
  trial: z.number().int().nonnegative(),
  params: z.record(z.string(), searchValue),
  seed: z.number().int(),
  /** Result per finished rung (index = rung). */
  results: z.array(rungResultSchema),
  /** Rung of the job in flight, or null. */
  running: z.number().int().nonnegative().nullable(),
  /** Why its job failed for good, or null. */
  failed: z.string().nullable(),
});

/**
 * A search's state in Redis: what `trainer tune` needs to resume after a kill without re-running
 * a finished (trial, rung). Trials are listed in start order (index = trial number).
 */
export const tuneStateSchema = z.object({
  v: z.literal(TUNE_STATE_VERSION),
  tuneId: z.string().min(1),
  /** Budgets of the rungs, meta-steps. */
  rungs: z.array(z.number().int().positive()).min(1),
  trials: z.array(trialStateSchema),
  createdAtMs: z.number(),
});

/** A search's state. */
export type TuneState = z.output<typeof tuneStateSchema>;
/** One trial of a search. */
export type TrialState = z.output<typeof trialStateSchema>;
/** One rung's result of a trial. */
export type RungResult = z.output<typeof rungResultSchema>;

/** Where a trial stands: `paused` = waiting for a promotion decision; at the end of a search such a trial is `stopped`. */
export type TrialStatus = 'running' | 'paused' | 'stopped' | 'completed' | 'diverged' | 'failed';

/** A trial's status; `searchDone` turns paused trials into stopped ones. */
export function trialStatus(t: TrialState, rungCount: number, searchDone: boolean): TrialStatus {
  if (t.failed !== null) {
    return 'failed';
  }
  if (t.running !== null) {
    return 'running';
  }
  if (t.results.length > 0 && t.results[t.results.length - 1].metric === null) {
    return 'diverged';
  }
  if (t.results.length === rungCount) {
    return 'completed';
  }
  return searchDone ? 'stopped' : 'paused';
}
