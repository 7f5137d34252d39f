import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { importMovieLens } from '@metarec/datasets';
import { baselineFactory, runEvaluation } from '@metarec/evaluation';

import { ratingsTableFromDataset } from './dataset-table.js';

const DIR = join(import.meta.dirname, '../../../../shared/datasets/movielens-100k');
const present = existsSync(join(DIR, 'u.data'));
if (!present) {
  process.stderr.write(`ml100k-rating-scale.test: skipped, ML-100K not found at ${DIR}\n`);
}

// Seed 1, new users, as main computed them at 24f1b74 (threshold the constant 4, no clipping in
// the runner), printed by the same runEvaluation call (tools/eval/results/ml100k-seeds1-5, refreshed
// on 2026-12-07, has the same split: 85 new-user tasks on seed 1).
const BEFORE = {
  popularity: { users: 85, ndcg3: 0.6778397836070549, ndcg10: 0.5243767880258928, recall10: 0.5411041083099907, auc: 0.9012448646125115 },
  bias: { users: 85, mae: 0.7707165664785048, rmse: 0.982010568544373, ndcg3: 0.7169605167700919, ndcg10: 0.24569189110644735, recall10: 0.24714752567693749, auc: 0.7016579365079367 },
};

describe.skipIf(!present)('ML-100K on its rating scale (1–5)', () => {
  it('derives threshold 4 and gives the numbers of the constant-4 runner, with nmae = mae / 4', async () => {
    const table = ratingsTableFromDataset(await importMovieLens(DIR));
    expect(table.ratingScale).toEqual({ min: 1, max: 5 });
    const results = await runEvaluation({
      table,
      datasetName: 'ml-100k',
      methods: [baselineFactory('popularity'), baselineFactory('bias')],
      seeds: [1],
      scenarios: ['new_user'],
      supportSizes: [0],
      catalogueMetrics: false,
      split: { newItemFromMs: Date.UTC(1997, 0, 1) },
      createdAt: 'now',
    });
    expect(results.config).toMatchObject({ positiveThreshold: 4, positiveThresholdSource: 'scale', ratingScale: { min: 1, max: 5 } });
    const m = results.perSeed[0].methods;
    expect(m['popularity'].scenarios.new_user?.metrics).toMatchObject(BEFORE.popularity);
    const bias = m['bias'].scenarios.new_user?.metrics;
    expect(bias).toMatchObject(BEFORE.bias);
    expect(bias?.nmae).toBeCloseTo(BEFORE.bias.mae / 4, 12);
    expect(bias?.nrmse).toBeCloseTo(BEFORE.bias.rmse / 4, 12);
  });
});
