import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import { writeFileAtomic } from '@metarec/runtime';

import type { RunSpec } from '../spec/run-spec.js';
import { OBJECTIVE_GOAL, type SearchObjective, type SearchSpec, type SearchValue } from '../spec/search-spec.js';
import type { TrialParams } from './search-space.js';
import { trialStatus, type TrialStatus, type TuneState } from './tune-state.js';

/** One trial in the results: its parameters, seed, the objective per rung reached, and how it ended. */
export interface TuningTrialRow {
  readonly trial: number;
  readonly seed: number;
  readonly params: TrialParams;
  /** Objective per rung reached (index = rung); null = diverged there. */
  readonly metrics: ReadonlyArray<number | null>;
  readonly status: TrialStatus;
  /** The failed job's reason, or the divergence code. */
  readonly reason: string | null;
}

/** The best configuration: the best objective (lowest MAE, highest nDCG) among the trials that reached the highest rung any trial reached. */
export interface TuningBest {
  readonly trial: number;
  readonly params: TrialParams;
  readonly metric: number;
  readonly rung: number;
  /** That rung's budget, meta-steps. */
  readonly steps: number;
}

/** What `trainer tune` writes (`tuning.json`) and prints. */
export interface TuningResults {
  readonly tuneId: string;
  readonly objective: SearchSpec['objective'];
  readonly folds: number;
  readonly eta: number;
  /** Rung budgets, meta-steps. */
  readonly rungs: readonly number[];
  readonly trials: readonly TuningTrialRow[];
  readonly best: TuningBest | null;
  /** True when every trial has ended (false in a snapshot of a search still running). */
  readonly done: boolean;
  readonly createdAtMs: number;
}

/** {@link TuningBest} of a state: highest rung with a finite result first, then the better objective, then the lower trial index. */
export function bestTrialOf(state: TuneState, objective: SearchObjective): TuningBest | null {
  const better = OBJECTIVE_GOAL[objective] === 'max' ? (a: number, b: number): boolean => a > b : (a: number, b: number): boolean => a < b;
  let best: TuningBest | null = null;
  for (const t of state.trials) {
    for (let rung = t.results.length - 1; rung >= 0; rung--) {
      const metric = t.results[rung].metric;
      if (metric === null) {
        continue;
      }
      if (best === null || rung > best.rung || (rung === best.rung && better(metric, best.metric))) {
        best = { trial: t.trial, params: t.params, metric, rung, steps: state.rungs[rung] };
      }
      break;
    }
  }
  return best;
}

/** The results of a search's state (`done`: the search has ended, so paused trials count as stopped). */
export function tuningResultsOf(state: TuneState, search: SearchSpec, done: boolean): TuningResults {
  return {
    tuneId: state.tuneId,
    objective: search.objective,
    folds: search.folds,
    eta: search.eta,
    rungs: state.rungs,
    trials: state.trials.map((t) => ({
      trial: t.trial,
      seed: t.seed,
      params: t.params,
      metrics: t.results.map((r) => r.metric),
      status: trialStatus(t, state.rungs.length, done),
      reason: t.failed ?? t.results.find((r) => r.diverged !== null)?.diverged ?? null,
    })),
    best: bestTrialOf(state, search.objective),
    done,
    createdAtMs: state.createdAtMs,
  };
}

function formatValue(v: SearchValue): string {
  if (typeof v !== 'number' || Number.isInteger(v)) {
    return String(v);
  }
  return Math.abs(v) >= 0.01 && Math.abs(v) < 1000 ? v.toFixed(4) : v.toExponential(3);
}

/**
 * A plain-text table of the results, one row per trial in trial order: parameters, seed, the
 * objective at each rung (`-` = not reached, `div` = diverged), status; the best row marked `*`.
 */
export function formatTuningTable(results: TuningResults): string {
  const paramNames = [...new Set(results.trials.flatMap((t) => Object.keys(t.params)))];
  const header = ['', 'trial', ...paramNames, 'seed', ...results.rungs.map((steps) => `${results.objective}@${steps}`), 'status'];
  const rows = results.trials.map((t) => [
    results.best?.trial === t.trial ? '*' : '',
    String(t.trial),
    ...paramNames.map((p) => (t.params[p] === undefined ? '' : formatValue(t.params[p]))),
    String(t.seed),
    ...results.rungs.map((_, r) => (r >= t.metrics.length ? '-' : t.metrics[r] === null ? 'div' : (t.metrics[r] as number).toFixed(4))),
    t.status,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: readonly string[]): string => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** Where a search's results go: `<output.dir>/<tuneId>/tuning.json`, beside the runs' `<output.dir>/<runId>/`. */
export function tunePaths(spec: RunSpec, tuneId: string): { root: string; resultsPath: string } {
  const root = path.resolve(spec.output.dir, tuneId);
  return { root, resultsPath: path.join(root, 'tuning.json') };
}

/** Writes `tuning.json` (atomic durable write); returns its path. */
export async function writeTuningResults(spec: RunSpec, results: TuningResults): Promise<string> {
  const paths = tunePaths(spec, results.tuneId);
  await mkdir(paths.root, { recursive: true });
  await writeFileAtomic(paths.resultsPath, JSON.stringify(results, null, 2) + '\n');
  return paths.resultsPath;
}
