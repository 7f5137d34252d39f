import { describe, expect, it } from 'vitest';

import { baselineFactory } from '../baselines/baseline-factories.js';
import { syntheticRatingsTable } from '../testing.js';
import { mergeResults } from './merge-results.js';
import { runEvaluation } from './run-evaluation.js';

const table = syntheticRatingsTable({ users: 80, items: 100, seed: 6 });
const run = (seeds: number[], methods = [baselineFactory('global_mean'), baselineFactory('item_mean')]) =>
  runEvaluation({ table, datasetName: 's', methods, seeds, scenarios: ['warm', 'new_user'], supportSizes: [0, 2], catalogueMetrics: false });

describe('mergeResults', () => {
  it('gives the same summary as one run over all seeds', async () => {
    const whole = await run([0, 1, 2]);
    const merged = mergeResults([await run([2]), await run([0, 1])]);
    expect(merged.seeds).toEqual([0, 1, 2]);
    expect(merged.summary.new_user?.['item_mean'].mae.mean).toBeCloseTo(whole.summary.new_user?.['item_mean'].mae.mean ?? Number.NaN, 12);
    expect(merged.summary.warm?.['global_mean'].rmse.std).toBeCloseTo(whole.summary.warm?.['global_mean'].rmse.std ?? Number.NaN, 12);
  });

  it('joins a method run later on the same seeds and rejects an incomplete grid', async () => {
    const base = await run([0, 1]);
    const extra = await run([0, 1], [baselineFactory('bias')]);
    const joined = mergeResults([base, extra]);
    expect(joined.methods).toEqual(['global_mean', 'item_mean', 'bias']);
    expect(joined.summary.new_user?.['bias'].mae.n).toBe(2);
    const partial = await run([0], [baselineFactory('bias')]);
    expect(() => mergeResults([base, partial])).toThrow(/lacks bias/);
  });

  it('rejects a repeated seed', async () => {
    const a = await run([0]);
    expect(() => mergeResults([a, a])).toThrow(expect.objectContaining({ code: 'EVAL_CONFIG_INVALID' }));
  });
});
