import { describe, expect, it } from 'vitest';

import type { EvalTask } from '../protocol/eval-task.js';
import type { Recommender } from '../recommender/recommender.js';
import { scoreTask } from './task-scores.js';

const task: EvalTask = {
  scenario: 'new_user',
  user: 0,
  supportItems: Int32Array.from([9]),
  supportRatings: Float32Array.from([5]),
  queryItems: Int32Array.from([1, 2]),
  queryRatings: Float32Array.from([5, 2]),
  negatives: Int32Array.from([3, 4, 5]),
};
const options = { positiveThreshold: 4, rankCutoff: 1, queryNdcgCutoff: 2 };

/** Predicts the truth for queries; ranks by `order` when given. */
function recommender(order?: (item: number) => number): Recommender {
  const truth = new Map([[1, 5], [2, 2]]);
  return {
    name: 'r',
    predictsRatings: true,
    fit: () => ({}),
    predict: (_u, _s, items) => Float32Array.from(items, (i) => truth.get(i) ?? (i === 3 ? 6 : 1)),
    ...(order ? { rank: (_u: number, _s: unknown, items: Int32Array) => Float32Array.from(items, order) } : {}),
  };
}

describe('scoreTask', () => {
  it('orders the sampled-negatives list by `rank` when a method has one, and rates by `predict`', async () => {
    const byRating = await scoreTask(recommender(), task, { items: task.supportItems, ratings: task.supportRatings }, options);
    // Negative 3 is predicted 6 stars: by rating it tops the list and the positive misses the top 1.
    expect(byRating.recallRank).toBe(0);
    const byRank = await scoreTask(recommender((i) => (i === 1 ? 10 : 0)), task, { items: task.supportItems, ratings: task.supportRatings }, options);
    expect(byRank.recallRank).toBe(1);
    expect(byRank.auc).toBe(1);
    expect(Array.from(byRank.absErrors)).toEqual([0, 0]);
    expect(byRank.ndcgQuery).toBe(byRating.ndcgQuery);
  });
});
