import { describe, expect, it } from 'vitest';

import { SeededRng } from '@metarec/runtime';
import { baselineFactory } from '../baselines/baseline-factories.js';
import { EvalConfigError } from '../errors.js';
import type { EvalTask } from '../protocol/eval-task.js';
import { trainingSetFromTasks } from '../protocol/eval-task.js';
import { HybridRecommender } from './hybrid-recommender.js';
import { itemContent } from './item-content.js';

/**
 * Two tastes: 60 users choose among items 0–19 (genre a), 30 among items 20–39 (genre b), so
 * a-items are twice as popular. Items 40 (genre b) and 41 (genre a) are new: nobody rated them.
 */
function world(): { train: ReturnType<typeof trainingSetFromTasks>; content: ReturnType<typeof itemContent> } {
  const rng = new SeededRng(9);
  const tasks: EvalTask[] = [];
  for (let u = 0; u < 90; u++) {
    const base = u < 60 ? 0 : 20;
    const items = rng.permutation(20).subarray(0, 12);
    tasks.push({
      scenario: 'warm',
      user: u,
      supportItems: Int32Array.from(items, (k) => base + k),
      supportRatings: Float32Array.from(items, () => 3 + rng.int(3)),
      queryItems: new Int32Array(0),
      queryRatings: new Float32Array(0),
      negatives: new Int32Array(0),
    });
  }
  const profiles = Array.from({ length: 42 }, (_, i) => ({ categories: [i < 20 || i === 41 ? 'a' : 'b'], release_year: 1995 }));
  return { train: trainingSetFromTasks(tasks, 91, 42), content: itemContent(profiles) };
}

describe('HybridRecommender', () => {
  const { train, content } = world();

  it("ranks what a newcomer's choices go with above what is merely popular", async () => {
    const rec = new HybridRecommender({ ratingModels: [baselineFactory('bias')], content });
    await rec.fit(train, { seed: 1 });
    const support = { items: Int32Array.from([20, 21, 22, 23, 24]), ratings: Float32Array.from([5, 4, 5, 4, 5]) };
    const candidates = Int32Array.from({ length: 40 }, (_, i) => i).filter((i) => !support.items.includes(i));
    const scores = await rec.rank(90, support, candidates);
    const top10 = Array.from(candidates).sort((a, b) => scores[candidates.indexOf(b)] - scores[candidates.indexOf(a)]).slice(0, 10);
    expect(top10.filter((i) => i >= 20).length).toBeGreaterThanOrEqual(9);
    // With no ratings at all the list falls back to popularity: a-items first.
    const cold = await rec.rank(90, { items: new Int32Array(0), ratings: new Float32Array(0) }, Int32Array.from([0, 1, 30, 31]));
    expect(Math.min(cold[0], cold[1])).toBeGreaterThan(Math.max(cold[2], cold[3]));
    rec.dispose();
  });

  it('ranks new items below known ones and, among themselves, by content', async () => {
    const rec = new HybridRecommender({ ratingModels: [baselineFactory('bias')], content });
    await rec.fit(train, { seed: 1 });
    const support = { items: Int32Array.from([20, 21, 22]), ratings: Float32Array.from([5, 5, 4]) };
    const mixed = await rec.rank(90, support, Int32Array.from([30, 5, 40, 41]));
    expect(Math.min(mixed[0], mixed[1])).toBeGreaterThan(Math.max(mixed[2], mixed[3]));
    expect(mixed[2]).toBeGreaterThan(mixed[3]);
    const onlyNew = await rec.rank(90, support, Int32Array.from([41, 40]));
    expect(onlyNew[1]).toBeGreaterThan(onlyNew[0]);
    // rank right after predict on the same arrays reuses the ratings: same list as from fresh copies.
    const items = Int32Array.from([30, 5, 40, 41, 22]);
    await rec.predict(90, support, items);
    const reused = await rec.rank(90, support, items);
    const fresh = await rec.rank(90, { items: support.items.slice(), ratings: support.ratings.slice() }, items.slice());
    expect(Array.from(reused)).toEqual(Array.from(fresh));
    rec.dispose();
  });

  it('predicts ratings near the data, reports its cross-validated choices, and refuses use before fit', async () => {
    const rec = new HybridRecommender({ ratingModels: [baselineFactory('bias'), baselineFactory('global_mean')], content, folds: 2 });
    await expect(rec.rank(0, { items: new Int32Array(0), ratings: new Float32Array(0) }, Int32Array.from([1]))).rejects.toThrow(EvalConfigError);
    const report = await rec.fit(train, { seed: 2 });
    expect(report.chosen?.['folds']).toBe(2);
    expect(String(report.chosen?.['rating_w@0']).split(' ')).toHaveLength(3);
    const p = await rec.predict(5, { items: Int32Array.from([0, 1]), ratings: Float32Array.from([4, 4]) }, Int32Array.from([2, 3, 40]));
    for (const v of p) {
      expect(v).toBeGreaterThan(2.5);
      expect(v).toBeLessThan(5.5);
    }
    expect(() => new HybridRecommender({ ratingModels: [] })).toThrow(EvalConfigError);
  });
});
