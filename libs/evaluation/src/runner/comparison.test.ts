import { describe, expect, it } from 'vitest';

import type { EvaluationResults, SeedResult } from './evaluation-results.js';
import { compareBest } from './comparison.js';
import { summarizeSeeds } from './summarize.js';

function seed(seedNo: number, maes: Record<string, number>, ndcg: Record<string, number> = {}): SeedResult {
  const metrics = (mae: number, ndcg10: number) => ({ mae, rmse: mae, nmae: mae / 4, nrmse: mae / 4, ndcg3: 0.5, ndcg10, recall10: 0.1, auc: 0.5, coverage: null, novelty: null, users: 10, usersWithoutPositives: 0 });
  return {
    seed: seedNo,
    testUsers: 1,
    newItems: 1,
    newItemCutoff: 'x',
    trainingRatings: 1,
    split: {} as SeedResult['split'],
    methods: Object.fromEntries(Object.entries(maes).map(([m, mae]) => [m, { fit: { fitMs: 0 }, scenarios: { new_user: { metrics: metrics(mae, ndcg[m] ?? 0.1), activity: [], curve: [], scoreMs: 0 } } }])),
  };
}

describe('compareBest', () => {
  it('pairs the best meta-learner with the best baseline and reports the per-seed relative MAE gain', () => {
    const perSeed = [seed(0, { a: 0.8, b: 0.9, m: 0.76 }), seed(1, { a: 0.84, b: 0.9, m: 0.84 })];
    const { summary } = summarizeSeeds(perSeed, ['new_user'], ['a', 'b', 'm']);
    const results = { summary, perSeed, scenarios: ['new_user'] } as Pick<EvaluationResults, 'summary' | 'perSeed' | 'scenarios'>;
    const [c] = compareBest(results, { a: 'baseline', b: 'baseline', m: 'meta-learner' });
    expect(c.metric).toBe('mae');
    expect(c.bestBaseline).toBe('a');
    expect(c.bestMetaLearner).toBe('m');
    expect(c.gainPct.mean).toBeCloseTo((5 + 0) / 2, 10); // (0.8-0.76)/0.8 = 5 %, then 0 %
    expect(c.gainPct.n).toBe(2);
  });

  it('compares lists too, higher being better, a ranking-only baseline included', () => {
    // `pop` predicts no rating (MAE null) but has the best baseline list.
    const perSeed = [seed(0, { a: 0.8, pop: 0, m: 0.76 }, { a: 0.2, pop: 0.5, m: 0.55 }), seed(1, { a: 0.8, pop: 0, m: 0.76 }, { a: 0.2, pop: 0.5, m: 0.45 })];
    for (const r of perSeed) {
      (r.methods['pop'] as { scenarios: { new_user: { metrics: { mae: number | null } } } }).scenarios.new_user.metrics.mae = null;
    }
    const { summary } = summarizeSeeds(perSeed, ['new_user'], ['a', 'pop', 'm']);
    const results = { summary, perSeed, scenarios: ['new_user'] } as Pick<EvaluationResults, 'summary' | 'perSeed' | 'scenarios'>;
    const byMetric = new Map(compareBest(results, { a: 'baseline', pop: 'baseline', m: 'meta-learner' }).map((c) => [c.metric, c]));
    expect(byMetric.get('mae')?.bestBaseline).toBe('a');
    const ndcg = byMetric.get('ndcg10');
    expect(ndcg?.bestBaseline).toBe('pop');
    expect(ndcg?.gainPct.mean).toBeCloseTo((10 - 10) / 2, 10); // +10 %, then −10 %
    expect(ndcg?.gainPct.std).toBeGreaterThan(0);
  });

  it('is empty without meta-learners', () => {
    const perSeed = [seed(0, { a: 0.8 })];
    const { summary } = summarizeSeeds(perSeed, ['new_user'], ['a']);
    expect(compareBest({ summary, perSeed, scenarios: ['new_user'] }, { a: 'baseline' })).toEqual([]);
  });
});
