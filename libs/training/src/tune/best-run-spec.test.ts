import { describe, expect, it } from 'vitest';

import { parseRunSpec } from '../spec/run-spec.js';
import { specHash } from '../spec/spec-options.js';
import { bestRunSpec } from './best-run-spec.js';
import type { TuningResults } from './tuning-results.js';

const spec = parseRunSpec({
  data: { kind: 'synthetic' },
  seed: 9,
  output: { dir: '/tmp/o' },
  search: { space: { 'inner.lr': { min: 0.001, max: 0.1, log: true }, metaBatchSize: { values: [8, 16] } }, eta: 2, minSteps: 5, maxSteps: 10 },
});
const results: TuningResults = {
  tuneId: 't-1',
  objective: 'mae',
  folds: 3,
  eta: 2,
  rungs: [5, 10],
  trials: [
    { trial: 0, seed: 1, params: { 'inner.lr': 0.01, metaBatchSize: 8 }, metrics: [0.9], status: 'stopped', reason: null },
    { trial: 1, seed: 2, params: { 'inner.lr': 0.02, metaBatchSize: 16 }, metrics: [0.8, 0.7], status: 'completed', reason: null },
    { trial: 2, seed: 3, params: { 'inner.lr': 0.05, metaBatchSize: 8 }, metrics: [null], status: 'diverged', reason: 'ML_NON_FINITE' },
  ],
  best: { trial: 1, params: { 'inner.lr': 0.02, metaBatchSize: 16 }, metric: 0.7, rung: 1, steps: 10 },
  done: true,
  createdAtMs: 0,
};

describe('bestRunSpec', () => {
  it('is the searched spec with the best values, no search block, its own seed, and the table as provenance', () => {
    const best = bestRunSpec(spec, results, '/tmp/o/t-1/tuning.json');
    expect(best).not.toBeNull();
    expect(best?.inner.lr).toBe(0.02);
    expect(best?.metaBatchSize).toBe(16);
    expect(best?.seed).toBe(9);
    expect(best?.search).toBeUndefined();
    expect(best?.tuning?.best).toEqual({ trial: 1, metric: 0.7, rung: 1, steps: 10, params: { 'inner.lr': 0.02, metaBatchSize: 16 } });
    // Best first, diverged last.
    expect(best?.tuning?.trials.map((t) => t.trial)).toEqual([1, 0, 2]);
    // A round trip through JSON is a valid run spec, and provenance does not change its hash.
    const reread = parseRunSpec(JSON.parse(JSON.stringify(best)) as unknown);
    expect(reread).toEqual(best);
    const { tuning: _tuning, ...untuned } = reread;
    expect(specHash(reread)).toBe(specHash(parseRunSpec(untuned)));
  });

  it('is null when no trial finished', () => {
    expect(bestRunSpec(spec, { ...results, best: null }, '/x')).toBeNull();
  });
});
