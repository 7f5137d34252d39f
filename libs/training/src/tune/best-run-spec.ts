import { parseRunSpec, type RunSpec } from '../spec/run-spec.js';
import { OBJECTIVE_GOAL } from '../spec/search-spec.js';
import { MAX_PROVENANCE_TRIALS, type TuningProvenance } from '../spec/tuning-provenance.js';
import { applyTrialParams } from './search-space.js';
import type { TuningResults, TuningTrialRow } from './tuning-results.js';

/** Deeper rung first, then the better objective at it (diverged last), then the trial index. */
function byOutcome(sign: number): (a: TuningTrialRow, b: TuningTrialRow) => number {
  const last = (t: TuningTrialRow): number => {
    const m = t.metrics[t.metrics.length - 1];
    return m === null || m === undefined ? Number.POSITIVE_INFINITY : sign * m;
  };
  return (a, b) => b.metrics.length - a.metrics.length || last(a) - last(b) || a.trial - b.trial;
}

/** The `tuning` block of a tuned spec: the search's settings, its best trial and its rows, best first (capped). */
export function tuningProvenanceOf(results: TuningResults, resultsPath: string): TuningProvenance | null {
  const best = results.best;
  if (best === null) {
    return null;
  }
  const rows = [...results.trials].sort(byOutcome(OBJECTIVE_GOAL[results.objective] === 'max' ? -1 : 1));
  return {
    tuneId: results.tuneId,
    objective: results.objective,
    folds: results.folds,
    eta: results.eta,
    rungs: [...results.rungs],
    best: { trial: best.trial, metric: best.metric, rung: best.rung, steps: best.steps, params: { ...best.params } },
    trials: rows.slice(0, MAX_PROVENANCE_TRIALS).map((t) => ({ trial: t.trial, params: { ...t.params }, seed: t.seed, metrics: [...t.metrics], status: t.status })),
    trialsOmitted: Math.max(0, rows.length - MAX_PROVENANCE_TRIALS),
    resultsPath,
  };
}

/**
 * The best configuration as a complete run spec for `trainer run` and `trainer schedule`: the
 * searched spec with the best trial's values, without its search block, with the spec's own seed
 * (trial seeds only decorrelate trials) and its training budget as written (the search compared
 * configurations at rung budgets; set `epochs`/`maxSteps` for production), plus the `tuning`
 * provenance. Null when no trial finished.
 */
export function bestRunSpec(spec: RunSpec, results: TuningResults, resultsPath: string): RunSpec | null {
  const tuning = tuningProvenanceOf(results, resultsPath);
  if (results.best === null || tuning === null) {
    return null;
  }
  return parseRunSpec({ ...applyTrialParams(spec, results.best.params, spec.seed), tuning });
}
