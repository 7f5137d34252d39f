import { describe, expect, it } from 'vitest';

import { baselineFactory } from '../baselines/baseline-factories.js';
import type { RatingsTable } from '../protocol/ratings-table.js';
import type { Recommender, RecommenderFactory } from '../recommender/recommender.js';
import { syntheticRatingsTable } from '../testing.js';
import { runEvaluation } from './run-evaluation.js';

const stars = { ...syntheticRatingsTable({ users: 120, items: 150, ratingsPerUser: [20, 60], seed: 2 }), ratingScale: { min: 1, max: 5 } };
/** The same ratings on 0–10 (r ↦ 2.5 · (r − 1)): 4 stars become 7.5. */
const tenPoint: RatingsTable = { ...stars, ratings: stars.ratings.map((r) => 2.5 * (r - 1)), ratingScale: { min: 0, max: 10 } };

function constant(name: string, value: number): RecommenderFactory {
  return {
    name,
    create: (): Recommender => ({ name, predictsRatings: true, fit: () => ({}), predict: (_u, _s, items) => new Float32Array(items.length).fill(value) }),
  };
}

const run = (table: RatingsTable, methods: RecommenderFactory[], positiveThreshold?: number) =>
  runEvaluation({ table, datasetName: 't', methods, seeds: [0], scenarios: ['new_user'], supportSizes: [0], catalogueMetrics: false, positiveThreshold, createdAt: 'now' });

describe('runEvaluation on the data set rating scale', () => {
  it('clips every method to the scale before MAE/RMSE: predicting 7 on 1–5 scores as predicting 5', async () => {
    const r = await run(stars, [constant('seven', 7), constant('five', 5), constant('three', 3)]);
    const s = r.summary.new_user ?? {};
    expect(s['seven'].mae.mean).toBe(s['five'].mae.mean);
    expect(s['seven'].rmse.mean).toBe(s['five'].rmse.mean);
    expect(s['seven'].mae.mean).not.toBe(s['three'].mae.mean);
    expect(r.config['predictionClip']).toBe('rating predictions clipped to [1, 5] before MAE/RMSE');
  });

  it('reports MAE and RMSE divided by the range, equal across scales for the same data', async () => {
    const a = (await run(stars, [baselineFactory('global_mean')])).summary.new_user?.['global_mean'];
    const b = (await run(tenPoint, [baselineFactory('global_mean')])).summary.new_user?.['global_mean'];
    expect(a?.nmae.mean).toBeCloseTo((a?.mae.mean ?? 0) / 4, 12);
    expect(b?.nmae.mean).toBeCloseTo((b?.mae.mean ?? 0) / 10, 12);
    expect(b?.mae.mean).toBeCloseTo(2.5 * (a?.mae.mean ?? 0), 5);
    expect(b?.nmae.mean).toBeCloseTo(a?.nmae.mean ?? 0, 6);
    expect(b?.nrmse.mean).toBeCloseTo(a?.nrmse.mean ?? 0, 6);
  });

  it('takes the positive threshold from the scale (4 on 1–5, 7.5 on 0–10) unless given', async () => {
    const pop = [baselineFactory('popularity')];
    const onStars = await run(stars, pop);
    const onTen = await run(tenPoint, pop);
    const onTenAtFour = await run(tenPoint, pop, 4);
    expect(onStars.config).toMatchObject({ positiveThreshold: 4, positiveThresholdSource: 'scale', ratingScale: { min: 1, max: 5 } });
    expect(onTen.config).toMatchObject({ positiveThreshold: 7.5, positiveThresholdSource: 'scale' });
    expect(onTenAtFour.config).toMatchObject({ positiveThreshold: 4, positiveThresholdSource: 'option' });
    // Popularity ignores rating values, so only the threshold can change its ranking metrics.
    const ndcg = (x: typeof onStars): number | null => x.summary.new_user?.['popularity'].ndcg10.mean ?? null;
    expect(ndcg(onTen)).toBe(ndcg(onStars));
    expect(ndcg(onTenAtFour)).not.toBe(ndcg(onStars));
  });

  it('refuses a threshold outside the scale', async () => {
    await expect(run(stars, [baselineFactory('popularity')], 7.5)).rejects.toThrow(expect.objectContaining({ code: 'EVAL_CONFIG_INVALID' }));
  });
});
