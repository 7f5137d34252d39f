import { describe, expect, it } from 'vitest';

import { TrainingError } from '../errors.js';
import { parseRunSpec } from '../spec/run-spec.js';
import { searchSpecSchema } from '../spec/search-spec.js';
import { applyTrialParams, sampleTrialParams, trialSeed } from './search-space.js';

const search = searchSpecSchema.parse({
  space: {
    'inner.lr': { min: 1e-3, max: 1e-1, log: true },
    'model.embeddingDim': { min: 4, max: 16, int: true },
    algorithm: { values: ['maml', 'fomaml'] },
  },
  seed: 5,
});
const base = parseRunSpec({ data: { kind: 'synthetic' }, output: { dir: '/tmp/o' }, search });

describe('sampleTrialParams', () => {
  it('draws the same parameters for the same (seed, trial) and others for another trial or seed', () => {
    expect(sampleTrialParams(search, 3)).toEqual(sampleTrialParams(search, 3));
    expect(sampleTrialParams(search, 3)).not.toEqual(sampleTrialParams(search, 4));
    expect(sampleTrialParams({ ...search, seed: 6 }, 3)).not.toEqual(sampleTrialParams(search, 3));
  });

  it('keeps draws inside their ranges: log-uniform, rounded integers, listed values', () => {
    const draws = Array.from({ length: 200 }, (_, i) => sampleTrialParams(search, i));
    const lrs = draws.map((d) => d['inner.lr'] as number);
    expect(Math.min(...lrs)).toBeGreaterThanOrEqual(1e-3);
    expect(Math.max(...lrs)).toBeLessThanOrEqual(1e-1);
    // Log-uniform: about half the draws below the geometric mean 1e-2 (uniform would put ~9 % there).
    const below = lrs.filter((x) => x < 1e-2).length / lrs.length;
    expect(below).toBeGreaterThan(0.35);
    expect(below).toBeLessThan(0.65);
    const dims = new Set(draws.map((d) => d['model.embeddingDim']));
    expect([...dims].every((d) => Number.isInteger(d) && (d as number) >= 4 && (d as number) <= 16)).toBe(true);
    expect(dims.has(4) && dims.has(16)).toBe(true);
    expect(new Set(draws.map((d) => d['algorithm']))).toEqual(new Set(['maml', 'fomaml']));
  });
});

describe('trialSeed', () => {
  it('is a stable non-negative 31-bit seed per (search seed, trial)', () => {
    expect(trialSeed(5, 0)).toBe(trialSeed(5, 0));
    expect(trialSeed(5, 0)).not.toBe(trialSeed(5, 1));
    expect(trialSeed(5, 0)).not.toBe(trialSeed(6, 0));
    expect(trialSeed(5, 0)).toBeGreaterThanOrEqual(0);
    expect(trialSeed(5, 0)).toBeLessThan(2 ** 31);
  });
});

describe('applyTrialParams', () => {
  it('sets each parameter at its path and the seed, and drops the search block', () => {
    const spec = applyTrialParams(base, { 'inner.lr': 0.02, 'model.embeddingDim': 8, algorithm: 'fomaml' }, 77);
    expect(spec.inner).toEqual({ ...base.inner, lr: 0.02 });
    expect(spec.model.embeddingDim).toBe(8);
    expect(spec.algorithm).toBe('fomaml');
    expect(spec.seed).toBe(77);
    expect(spec.search).toBeUndefined();
    expect(base.inner.lr).toBe(0.01);
  });

  it('names the parameter when its path is not a run spec field or its value is invalid there', () => {
    for (const [params, field] of [
      [{ 'inner.lrr': 0.1 }, 'search.space.inner.lrr'],
      [{ metaBatchSize: 0 }, 'search.space.metaBatchSize'],
    ] as const) {
      try {
        applyTrialParams(base, params, 1);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(TrainingError);
        expect(e).toMatchObject({ code: 'TRAIN_SPEC_INVALID', details: { field } });
      }
    }
  });
});

describe('search block of the run spec', () => {
  it('fills ASHA defaults and rejects an inverted range', () => {
    expect(base.search).toMatchObject({ trials: 9, folds: 3, eta: 3, minSteps: 10, maxSteps: 90, objective: 'mae', seed: 5 });
    expect(() => parseRunSpec({ data: { kind: 'synthetic' }, output: { dir: '/o' }, search: { space: { 'inner.lr': { min: 1, max: 0.1 } } } })).toThrow(/search\.space/);
    expect(() => parseRunSpec({ data: { kind: 'synthetic' }, output: { dir: '/o' }, search: { space: { 'inner.lr': { min: 0, max: 1, log: true } } } })).toThrow(TrainingError);
  });
});
