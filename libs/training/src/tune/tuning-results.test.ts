import { describe, expect, it } from 'vitest';

import { searchSpecSchema } from '../spec/search-spec.js';
import type { TrialState, TuneState } from './tune-state.js';
import { bestTrialOf, formatTuningTable, tuningResultsOf } from './tuning-results.js';

const search = searchSpecSchema.parse({ space: { 'inner.lr': { min: 0.001, max: 0.1, log: true } }, trials: 4, eta: 2, minSteps: 5, maxSteps: 10 });
const r = (metric: number | null) => ({ metric, foldMetrics: [metric, metric], diverged: metric === null ? 'ML_NON_FINITE' : null });
const trial = (i: number, results: Array<number | null>, extra: Partial<TrialState> = {}): TrialState => ({
  trial: i,
  params: { 'inner.lr': 0.01 * (i + 1) },
  seed: 100 + i,
  results: results.map(r),
  running: null,
  failed: null,
  ...extra,
});
const state: TuneState = {
  v: 1,
  tuneId: 't-abc',
  rungs: [5, 10],
  createdAtMs: 0,
  // Trial 1 has the lowest rung-0 figure, but trial 2 reached the top rung: it is the best.
  trials: [trial(0, [0.8, 0.75]), trial(1, [0.6]), trial(2, [0.7, 0.72]), trial(3, [null]), trial(4, [], { failed: 'TRAIN_DATA_EMPTY: no users' })],
};

describe('bestTrialOf', () => {
  it('prefers the highest rung reached, then the lower objective', () => {
    expect(bestTrialOf(state, 'mae')).toEqual({ trial: 2, params: { 'inner.lr': 0.03 }, metric: 0.72, rung: 1, steps: 10 });
  });

  it('prefers the higher figure for a maximised objective (ndcg10)', () => {
    expect(bestTrialOf(state, 'ndcg10')).toMatchObject({ trial: 0, metric: 0.75, rung: 1 });
  });

  it('is null when no trial has a finite result', () => {
    expect(bestTrialOf({ ...state, trials: [trial(0, [null])] }, 'mae')).toBeNull();
  });
});

describe('tuningResultsOf and formatTuningTable', () => {
  it('gives every trial its status and reason, paused trials stopped once the search is done', () => {
    const during = tuningResultsOf({ ...state, trials: [...state.trials.slice(0, 4), trial(4, [], { running: 0 })] }, search, false);
    expect(during.trials.map((t) => t.status)).toEqual(['completed', 'paused', 'completed', 'diverged', 'running']);
    const done = tuningResultsOf(state, search, true);
    expect(done.trials.map((t) => t.status)).toEqual(['completed', 'stopped', 'completed', 'diverged', 'failed']);
    expect(done.trials.map((t) => t.reason)).toEqual([null, null, null, 'ML_NON_FINITE', 'TRAIN_DATA_EMPTY: no users']);
  });

  it('prints one row per trial with the objective per rung and marks the best', () => {
    const lines = formatTuningTable(tuningResultsOf(state, search, true)).trimEnd().split('\n');
    expect(lines[0].split(/\s+/).filter(Boolean)).toEqual(['trial', 'inner.lr', 'seed', 'mae@5', 'mae@10', 'status']);
    expect(lines[3].startsWith('*')).toBe(true);
    expect(lines[3].split(/\s+/)).toEqual(['*', '2', '0.0300', '102', '0.7000', '0.7200', 'completed']);
    expect(lines[2].split(/\s+/).filter(Boolean)).toEqual(['1', '0.0200', '101', '0.6000', '-', 'stopped']);
    expect(lines[4].split(/\s+/).filter(Boolean)).toEqual(['3', '0.0400', '103', 'div', '-', 'diverged']);
  });
});
