import { describe, expect, it } from 'vitest';

import { baselineFactory } from '../baselines/baseline-factories.js';
import { EvalHealthError } from '../errors.js';
import type { Recommender, RecommenderFactory, SupportSet } from '../recommender/recommender.js';
import { syntheticRatingsTable } from '../testing.js';
import type { RatingsTable } from '../protocol/ratings-table.js';
import { runEvaluation } from './run-evaluation.js';

const table = syntheticRatingsTable({ users: 120, items: 150, ratingsPerUser: [20, 60], seed: 2 });

/** Cheats: memorises the whole table (including evaluation ratings) — the guard must stop it. */
function oracle(t: RatingsTable): RecommenderFactory {
  const truth = new Map<number, number>();
  t.users.forEach((u, r) => truth.set(u * t.itemCount + t.items[r], t.ratings[r]));
  return {
    name: 'oracle',
    create: (): Recommender => ({
      name: 'oracle',
      predictsRatings: true,
      fit: () => ({}),
      predict: (user: number, _s: SupportSet, items: Int32Array) => Float32Array.from(items, (i) => truth.get(user * t.itemCount + i) ?? 0),
    }),
  };
}

function constantLoss(): RecommenderFactory {
  return {
    name: 'stuck',
    create: (): Recommender => ({
      name: 'stuck',
      predictsRatings: true,
      fit: () => ({ losses: [1.2, 1.2, 1.2] }),
      predict: (_u: number, _s: SupportSet, items: Int32Array) => new Float32Array(items.length).fill(3),
    }),
  };
}

describe('runEvaluation', () => {
  it('scores every method x scenario over seeds with curves, buckets and progress', async () => {
    const progress: number[] = [];
    const results = await runEvaluation({
      table,
      datasetName: 'synthetic',
      methods: [baselineFactory('global_mean'), baselineFactory('popularity'), baselineFactory('bias')],
      seeds: [0, 1],
      supportSizes: [0, 2, 5],
      onProgress: (p) => progress.push(p.done / p.total),
      createdAt: '2026-01-01T00:00:00Z',
    });
    expect(results.methods).toEqual(['global_mean', 'popularity', 'bias']);
    const nu = results.summary.new_user ?? {};
    expect(nu['bias'].mae.n).toBe(2);
    expect(nu['bias'].mae.mean ?? 9).toBeLessThan(nu['global_mean'].mae.mean ?? 0);
    expect(nu['popularity'].mae.mean).toBeNull();
    expect(nu['global_mean'].auc.mean ?? 0).toBeCloseTo(0.5, 6); // constant scores rank at random
    expect(results.curve.new_user?.['bias'].map((p) => p.supportSize)).toEqual([0, 2, 5]);
    expect(results.activity.warm?.['bias'].length).toBe(4);
    expect(results.perSeed[0].split.warm.queryRatings).toBe(10 * results.perSeed[0].split.warm.tasks);
    expect(Math.max(...progress)).toBeLessThanOrEqual(1);
    expect(JSON.parse(JSON.stringify(results)).schemaVersion).toBe(1);
  });

  it('records supplied roles by source and counts: newItemCutoff names the source, config holds no flags', async () => {
    const isTestUser = Uint8Array.from({ length: table.userCount }, (_, u) => (u % 4 === 0 ? 1 : 0));
    const isNewItem = Uint8Array.from({ length: table.itemCount }, (_, i) => (i < 40 ? 1 : 0));
    const results = await runEvaluation({
      table,
      datasetName: 'synthetic',
      methods: [baselineFactory('bias')],
      seeds: [0],
      supportSizes: [0],
      split: { roles: { isTestUser, isNewItem, source: 'split.csv' } },
    });
    expect(results.perSeed[0].newItemCutoff).toBe('supplied: split.csv');
    expect(results.perSeed[0].testUsers).toBe(30);
    expect(results.perSeed[0].newItems).toBe(40);
    expect(results.config['split']).toEqual({ roles: { source: 'split.csv', testUsers: 30, newItems: 40 } });
  });

  it('refuses to report a method whose metrics are perfect (a planted leak)', async () => {
    await expect(runEvaluation({ table, datasetName: 's', methods: [oracle(table)], seeds: [0], scenarios: ['warm'] })).rejects.toThrow(
      expect.objectContaining({ code: 'EVAL_METRIC_SATURATED' }),
    );
  });

  it('refuses to report a method whose training loss is constant', async () => {
    await expect(runEvaluation({ table, datasetName: 's', methods: [constantLoss()], seeds: [0], scenarios: ['warm'] })).rejects.toThrow(EvalHealthError);
  });
});
