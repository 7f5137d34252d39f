import { describe, expect, it } from 'vitest';

import { meanAbsoluteError } from '../metrics/rating-error.js';
import { buildColdStartSplit } from '../protocol/cold-start-split.js';
import type { EvalTask } from '../protocol/eval-task.js';
import type { Recommender } from '../recommender/recommender.js';
import { syntheticRatingsTable } from '../testing.js';
import { baselineFactory } from './baseline-factories.js';
import { GlobalMeanRecommender } from './global-mean.js';
import { DampedBiasRecommender } from './damped-bias.js';
import { ItemKnnRecommender } from './item-knn.js';
import { ItemMeanRecommender, PopularityRecommender } from './item-mean.js';
import { MatrixFactorizationRecommender } from './matrix-factorization.js';

const table = syntheticRatingsTable({ users: 200, items: 120, ratingsPerUser: [20, 60], factors: 3, noise: 0.2, seed: 11 });
const split = buildColdStartSplit(table, 0);

async function maeOn(rec: Recommender, tasks: readonly EvalTask[]): Promise<number> {
  await rec.fit(split.training, { seed: 0 });
  const p: number[] = [];
  const y: number[] = [];
  for (const t of tasks) {
    p.push(...(await rec.predict(t.user, { items: t.supportItems, ratings: t.supportRatings }, t.queryItems)));
    y.push(...t.queryRatings);
  }
  return meanAbsoluteError(p, y);
}

describe('baselines on a low-rank synthetic problem', () => {
  it('global mean predicts the training mean everywhere', async () => {
    const rec = new GlobalMeanRecommender();
    await rec.fit(split.training);
    const mean = split.training.ratings.reduce((s, r) => s + r, 0) / split.training.ratings.length;
    expect(Array.from(rec.predict(0, {}, Int32Array.from([1, 2])))).toEqual([Math.fround(mean), Math.fround(mean)]);
  });

  it('item mean is damped toward the global mean; popularity counts raters', () => {
    const im = new ItemMeanRecommender({ shrinkage: 5 });
    im.fit(split.training);
    const pop = new PopularityRecommender();
    pop.fit(split.training);
    const item = split.training.items[0];
    let n = 0;
    let sum = 0;
    split.training.items.forEach((i, r) => {
      if (i === item) {
        n++;
        sum += split.training.ratings[r];
      }
    });
    const mu = split.training.ratings.reduce((s, r) => s + r, 0) / split.training.ratings.length;
    expect(im.predict(0, {}, Int32Array.of(item))[0]).toBeCloseTo((sum + 5 * mu) / (n + 5), 4);
    expect(pop.predict(0, {}, Int32Array.of(item))[0]).toBe(n);
  });

  it('MF with fold-in beats the bias model, which beats the global mean, on new users', async () => {
    const global = await maeOn(new GlobalMeanRecommender(), split.scenarios.new_user);
    const bias = await maeOn(new MatrixFactorizationRecommender({ factors: 0 }), split.scenarios.new_user);
    const mf = await maeOn(new MatrixFactorizationRecommender({ factors: 4, factorPenalty: 2, biasPenalty: 2 }), split.scenarios.new_user);
    expect(bias).toBeLessThan(global);
    expect(mf).toBeLessThan(bias * 0.97);
  });

  it("item-KNN reads the user's items one by one: beats the damped bias it starts from on new users, equals it without ratings", async () => {
    const bias = await maeOn(new DampedBiasRecommender(), split.scenarios.new_user);
    const knn = await maeOn(new ItemKnnRecommender(), split.scenarios.new_user);
    expect(knn).toBeLessThan(bias * 0.97);
    const rec = new ItemKnnRecommender();
    const reference = new DampedBiasRecommender();
    rec.fit(split.training);
    reference.fit(split.training);
    const empty = { items: new Int32Array(0), ratings: new Float32Array(0) };
    expect(Array.from(rec.predict(0, empty, Int32Array.of(0, 1, 2)))).toEqual(Array.from(reference.predict(0, empty, Int32Array.of(0, 1, 2))));
  });

  it('MF fold-in with an empty support falls back to mean + item bias', async () => {
    const rec = new MatrixFactorizationRecommender({ factors: 4 });
    rec.fit(split.training);
    const empty = { items: new Int32Array(0), ratings: new Float32Array(0) };
    const p = rec.predict(0, empty, Int32Array.of(0, 1));
    expect(p.every((v) => v >= 1 && v <= 5)).toBe(true);
  });

  it('tuned MF picks its penalty on training users and reports it', async () => {
    const rec = baselineFactory('mf').create(0);
    const report = await rec.fit(split.training, { seed: 0 });
    expect(report.chosen).toHaveProperty('penalty');
    expect(report.chosen).toHaveProperty('innerValidationMae');
  });
});
