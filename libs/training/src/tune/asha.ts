import { TrainingError } from '../errors.js';

/**
 * Budgets of ASHA's rungs, meta-steps: minSteps·eta^r while below maxSteps, then maxSteps
 * (e.g. 10, 30, 90 for 10 / 90 / 3; 10, 30, 50 for 10 / 50 / 3).
 * @throws TrainingError `TRAIN_SPEC_INVALID` for a budget or eta that is not a positive integer.
 */
export function rungBudgets(minSteps: number, maxSteps: number, eta: number): number[] {
  if (!(Number.isInteger(minSteps) && minSteps >= 1 && Number.isInteger(maxSteps) && maxSteps >= minSteps && Number.isInteger(eta) && eta >= 2)) {
    throw new TrainingError('TRAIN_SPEC_INVALID', `search needs integers 1 <= minSteps <= maxSteps and eta >= 2 (got ${minSteps}, ${maxSteps}, ${eta})`, { field: 'search' });
  }
  const budgets: number[] = [];
  for (let b = minSteps; b < maxSteps; b *= eta) {
    budgets.push(b);
  }
  budgets.push(maxSteps);
  return budgets;
}

/** What ASHA needs to know of a trial. */
export interface AshaTrial {
  /** Metric per finished rung (index = rung); null = the trial diverged there (ranks last). */
  readonly results: readonly (number | null)[];
  /** Rung of the job in flight, or null. */
  readonly running: number | null;
  /** True when its job failed for good (it takes no further part). */
  readonly failed: boolean;
}

/** ASHA's next move. */
export type AshaAction =
  | { readonly kind: 'promote'; readonly trial: number; readonly rung: number }
  | { readonly kind: 'start'; readonly trial: number }
  | { readonly kind: 'wait' }
  | { readonly kind: 'done' };

/** Options of {@link nextAshaAction}. */
export interface AshaOptions {
  readonly rungCount: number;
  readonly eta: number;
  /** Trials of the search (trials[i] has index i; indices ≥ trials.length have not started). */
  readonly maxTrials: number;
}

/** Lower metric first, a diverged (null) result last, ties by trial index: the same ranking on every replay. */
function rankAt(trials: readonly AshaTrial[], rung: number): number[] {
  const key = (i: number): number => trials[i].results[rung] ?? Number.POSITIVE_INFINITY;
  return trials
    .map((_, i) => i)
    .filter((i) => trials[i].results.length > rung)
    .sort((a, b) => key(a) - key(b) || a - b);
}

/**
 * Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter
 * Tuning", MLSys 2020): from the highest rung down, promote a trial that is in the top
 * ⌊n/eta⌋ of the n results finished at its rung and has not gone further; else start the next
 * trial; else wait for jobs in flight; else the search is done. Bad trials are never promoted, so
 * they stop at the rung they reached. Pure and deterministic given the trials.
 */
export function nextAshaAction(trials: readonly AshaTrial[], o: AshaOptions): AshaAction {
  for (let rung = o.rungCount - 2; rung >= 0; rung--) {
    const ranked = rankAt(trials, rung);
    const top = ranked.slice(0, Math.floor(ranked.length / o.eta));
    const next = top.find((i) => trials[i].results[rung] !== null && trials[i].results.length === rung + 1 && trials[i].running === null && !trials[i].failed);
    if (next !== undefined) {
      return { kind: 'promote', trial: next, rung: rung + 1 };
    }
  }
  if (trials.length < o.maxTrials) {
    return { kind: 'start', trial: trials.length };
  }
  return trials.some((t) => t.running !== null) ? { kind: 'wait' } : { kind: 'done' };
}
