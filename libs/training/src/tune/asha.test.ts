import { describe, expect, it } from 'vitest';

import { TrainingError } from '../errors.js';
import { nextAshaAction, rungBudgets, type AshaTrial } from './asha.js';

const done = (...results: Array<number | null>): AshaTrial => ({ results, running: null, failed: false });

describe('rungBudgets', () => {
  it('multiplies by eta below maxSteps, then ends at maxSteps', () => {
    expect(rungBudgets(10, 90, 3)).toEqual([10, 30, 90]);
    expect(rungBudgets(10, 50, 3)).toEqual([10, 30, 50]);
    expect(rungBudgets(4, 4, 2)).toEqual([4]);
  });

  it('refuses a budget below one step or eta below 2', () => {
    expect(() => rungBudgets(0, 4, 2)).toThrow(TrainingError);
    expect(() => rungBudgets(5, 4, 2)).toThrow(TrainingError);
    expect(() => rungBudgets(1, 4, 1)).toThrow(TrainingError);
  });
});

describe('nextAshaAction', () => {
  const o = { rungCount: 3, eta: 3, maxTrials: 9 };

  it('starts trials until a rung holds eta results, then promotes the best of them', () => {
    expect(nextAshaAction([], o)).toEqual({ kind: 'start', trial: 0 });
    expect(nextAshaAction([done(0.9), done(0.7)], o)).toEqual({ kind: 'start', trial: 2 });
    expect(nextAshaAction([done(0.9), done(0.7), done(0.8)], o)).toEqual({ kind: 'promote', trial: 1, rung: 1 });
  });

  it('promotes from the highest rung first', () => {
    const trials = [done(0.5, 0.4), done(0.6, 0.45), done(0.7, 0.5), done(0.9), done(0.95), done(0.99)];
    // Rung 1 holds 3 results and trial 0 is its top third; rung 0's top two (0 and 1) have both gone further.
    expect(nextAshaAction(trials, o)).toEqual({ kind: 'promote', trial: 0, rung: 2 });
  });

  it('never promotes a trial twice, one in flight, a failed one or a diverged one', () => {
    const inFlight: AshaTrial = { results: [0.1], running: 1, failed: false };
    const failed: AshaTrial = { results: [0.2], running: null, failed: true };
    expect(nextAshaAction([inFlight, failed, done(0.3)], o)).toEqual({ kind: 'start', trial: 3 });
    expect(nextAshaAction([done(null), done(0.9), done(0.8)], { ...o, maxTrials: 3 })).toEqual({ kind: 'promote', trial: 2, rung: 1 });
    expect(nextAshaAction([done(null), done(null), done(null)], { ...o, maxTrials: 3 })).toEqual({ kind: 'done' });
  });

  it('breaks ties by trial index', () => {
    expect(nextAshaAction([done(0.5), done(0.5), done(0.5)], o)).toEqual({ kind: 'promote', trial: 0, rung: 1 });
  });

  it('waits while jobs are in flight and nothing can start, and is done when none are', () => {
    const all = { ...o, maxTrials: 2 };
    expect(nextAshaAction([done(0.5), { results: [], running: 0, failed: false }], all)).toEqual({ kind: 'wait' });
    expect(nextAshaAction([done(0.5), done(0.6)], all)).toEqual({ kind: 'done' });
  });

  it('runs a sequential search to the end: the best configuration reaches the top rung, bad ones stop early', () => {
    // Metric of trial i at rung r: lower for trials near 4, slightly better with budget.
    const metric = (i: number, r: number): number => Math.abs(i - 4) + 1 - 0.1 * r;
    const trials: Array<{ results: Array<number | null>; running: number | null; failed: boolean }> = [];
    const jobs: string[] = [];
    for (let guard = 0; guard < 100; guard++) {
      const a = nextAshaAction(trials, o);
      if (a.kind === 'done' || a.kind === 'wait') {
        expect(a.kind).toBe('done');
        break;
      }
      const i = a.trial;
      const rung = a.kind === 'start' ? 0 : a.rung;
      if (a.kind === 'start') {
        trials.push({ results: [], running: null, failed: false });
      }
      jobs.push(`${i}@${rung}`);
      trials[i].results.push(metric(i, rung));
    }
    expect(trials).toHaveLength(9);
    expect(trials[4].results).toHaveLength(3);
    // 9 at rung 0, 3 at rung 1, 1 at rung 2 (asynchronous promotions may add a little more).
    const reached = [0, 1, 2].map((r) => trials.filter((t) => t.results.length > r).length);
    expect(reached[0]).toBe(9);
    expect(reached[1]).toBeGreaterThanOrEqual(3);
    expect(reached[1]).toBeLessThanOrEqual(4);
    expect(reached[2]).toBeGreaterThanOrEqual(1);
    expect(trials[0].results).toHaveLength(1);
    expect(trials[8].results).toHaveLength(1);
    expect(new Set(jobs).size).toBe(jobs.length);
  });
});
