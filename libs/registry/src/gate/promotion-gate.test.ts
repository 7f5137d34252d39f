import { describe, expect, it } from 'vitest';

import type { BundleMetrics } from '../manifest/bundle-manifest.js';
import { decidePromotion, describeGateDecision, type PromotionGatePolicy } from './promotion-gate.js';

const ndcg: PromotionGatePolicy = { scenario: 'new_user', metric: 'ndcg10', better: 'higher', tolerance: 0.01 };
const mae: PromotionGatePolicy = { scenario: 'new_user', metric: 'mae', better: 'lower', tolerance: 0.02 };

function metrics(values: Record<string, number>, evaluationSetId = 'set-a'): BundleMetrics {
  return { evaluationSetId, method: 'melu', scenarios: { new_user: { melu: values, 'item-mean': { ndcg10: 0.9, mae: 0.1 } } } };
}

describe('decidePromotion', () => {
  it('passes the first production version', () => {
    expect(decidePromotion(ndcg, { version: 1, metrics: undefined }, null)).toMatchObject({ outcome: 'pass', reason: 'no-current-version' });
  });

  it('passes a better candidate and one within tolerance, refuses one beyond it', () => {
    const current = { version: 1, metrics: metrics({ ndcg10: 0.3 }) };
    expect(decidePromotion(ndcg, { version: 2, metrics: metrics({ ndcg10: 0.31 }) }, current)).toMatchObject({ outcome: 'pass', reason: 'better' });
    expect(decidePromotion(ndcg, { version: 2, metrics: metrics({ ndcg10: 0.295 }) }, current)).toMatchObject({ outcome: 'pass', reason: 'within-tolerance' });
    const refused = decidePromotion(ndcg, { version: 2, metrics: metrics({ ndcg10: 0.25 }) }, current);
    expect(refused).toMatchObject({ outcome: 'refuse', reason: 'worse-beyond-tolerance', candidateValue: 0.25, currentValue: 0.3 });
    expect(describeGateDecision(refused)).toContain('0.2500 vs v1 0.3000');
  });

  it('compares the model method, not the baselines in the same table', () => {
    const current = { version: 1, metrics: metrics({ ndcg10: 0.3 }) };
    // The baseline row holds 0.9; reading it would pass this candidate.
    expect(decidePromotion(ndcg, { version: 2, metrics: metrics({ ndcg10: 0.1 }) }, current).outcome).toBe('refuse');
  });

  it('reads lower-is-better metrics the other way round', () => {
    const current = { version: 1, metrics: metrics({ mae: 0.9 }) };
    expect(decidePromotion(mae, { version: 2, metrics: metrics({ mae: 0.85 }) }, current)).toMatchObject({ outcome: 'pass', reason: 'better' });
    expect(decidePromotion(mae, { version: 2, metrics: metrics({ mae: 0.95 }) }, current)).toMatchObject({ outcome: 'refuse', improvement: expect.closeTo(-0.05, 9) as number });
  });

  it('refuses to compare versions evaluated on different held-out users', () => {
    const decision = decidePromotion(ndcg, { version: 2, metrics: metrics({ ndcg10: 0.9 }, 'set-b') }, { version: 1, metrics: metrics({ ndcg10: 0.3 }, 'set-a') });
    expect(decision).toMatchObject({ outcome: 'refuse', reason: 'evaluation-set-mismatch', candidateEvaluationSetId: 'set-b', currentEvaluationSetId: 'set-a' });
  });

  it('refuses when either side lacks the metric, naming the versions', () => {
    const decision = decidePromotion(ndcg, { version: 2, metrics: undefined }, { version: 1, metrics: metrics({ mae: 0.9 }) });
    expect(decision).toMatchObject({ outcome: 'refuse', reason: 'metric-missing', missingOn: [2, 1] });
  });
});
