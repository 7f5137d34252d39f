import { describe, expect, it } from 'vitest';

import { assertHealthyLoss, assertMetricsNotSaturated } from './health-guard.js';
import type { ScenarioMetrics } from './scenario-metrics.js';

const metrics = (over: Partial<ScenarioMetrics>): ScenarioMetrics => ({
  mae: 0.8,
  rmse: 1,
  nmae: 0.2,
  nrmse: 0.25,
  ndcg3: 0.7,
  ndcg10: 0.3,
  recall10: 0.3,
  auc: 0.7,
  coverage: 0.1,
  novelty: 3,
  users: 50,
  usersWithoutPositives: 2,
  ...over,
});

describe('training-health guards', () => {
  it('accepts a falling loss and rejects zero, constant or non-finite losses with a code', () => {
    expect(() => assertHealthyLoss('m', [1.2, 1.0, 0.9])).not.toThrow();
    expect(() => assertHealthyLoss('m', undefined)).not.toThrow();
    expect(() => assertHealthyLoss('m', [0, 0, 0])).toThrow(expect.objectContaining({ code: 'EVAL_LOSS_DEGENERATE' }));
    expect(() => assertHealthyLoss('m', [0.7, 0.7])).toThrow(/constant/);
    expect(() => assertHealthyLoss('m', [0.7, Number.NaN])).toThrow(/not finite/);
  });

  it('rejects perfect metrics over a scenario but not realistic ones', () => {
    expect(() => assertMetricsNotSaturated('m', 'warm', metrics({}))).not.toThrow();
    expect(() => assertMetricsNotSaturated('m', 'warm', metrics({ auc: 1 }))).toThrow(expect.objectContaining({ code: 'EVAL_METRIC_SATURATED' }));
    expect(() => assertMetricsNotSaturated('m', 'warm', metrics({ mae: 0 }))).toThrow(/mae/);
    expect(() => assertMetricsNotSaturated('m', 'warm', metrics({ ndcg10: 1, mae: null }))).toThrow(/ndcg10/);
  });
});
