import { describe, expect, it } from 'vitest';

import { bestRatingBaseline } from './best-rating-baseline.js';

describe('bestRatingBaseline', () => {
  const evaluation = {
    users: 10,
    model: { mae: 0.7, rmse: 0.9 },
    baselines: { itemMean: { mae: 0.77, rmse: 1 }, globalMean: { mae: 0.9, rmse: 1.1 }, popularity: { mae: null, rmse: null, ndcg10: 0.2 } },
  };

  it('skips popularity (no MAE) and takes the lowest MAE, the pipeline baselines included', () => {
    expect(bestRatingBaseline(evaluation, { bias: 0.8 })).toEqual({ name: 'itemMean', mae: 0.77 });
    expect(bestRatingBaseline(evaluation, { bias: 0.75 })).toEqual({ name: 'bias', mae: 0.75 });
  });

  it('is undefined when no baseline has an MAE', () => {
    expect(bestRatingBaseline({ ...evaluation, baselines: { popularity: evaluation.baselines.popularity } }, {})).toBeUndefined();
  });
});
