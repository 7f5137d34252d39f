import { EvalHealthError } from '../errors.js';
import type { ScenarioMetrics } from './scenario-metrics.js';

/**
 * Stops a run whose training loss is degenerate: non-finite, all zero, or constant over at
 * least `minPoints` values (a model that does not learn, or a loss wired to nothing).
 * Throws `EvalHealthError` with code `EVAL_LOSS_DEGENERATE`.
 */
export function assertHealthyLoss(method: string, losses: readonly number[] | undefined, minPoints = 2): void {
  if (!losses || losses.length === 0) {
    return;
  }
  const bad = (why: string): never => {
    throw new EvalHealthError('EVAL_LOSS_DEGENERATE', `${method}: training loss ${why} (${losses.slice(0, 8).join(', ')}${losses.length > 8 ? ', …' : ''}); refusing to report`);
  };
  if (losses.some((l) => !Number.isFinite(l))) {
    bad('is not finite');
  }
  if (losses.every((l) => l === 0)) {
    bad('is zero');
  }
  if (losses.length >= minPoints && losses.every((l) => l === losses[0])) {
    bad('is constant');
  }
}

/**
 * Stops a run whose metrics reach their perfect value on a whole scenario (MAE or RMSE 0,
 * nDCG/recall/AUC 1.0): on real ratings that means a leak or a bug, not a good model.
 * Throws `EvalHealthError` with code `EVAL_METRIC_SATURATED`.
 */
export function assertMetricsNotSaturated(method: string, scenario: string, m: ScenarioMetrics): void {
  const perfect: Array<[string, number | null, number]> = [
    ['mae', m.mae, 0],
    ['rmse', m.rmse, 0],
    ['ndcg3', m.ndcg3, 1],
    ['ndcg10', m.ndcg10, 1],
    ['recall10', m.recall10, 1],
    ['auc', m.auc, 1],
  ];
  for (const [name, value, best] of perfect) {
    if (value !== null && m.users > 1 && Math.abs(value - best) < 1e-9) {
      throw new EvalHealthError('EVAL_METRIC_SATURATED', `${method} on ${scenario}: ${name} = ${value} over ${m.users} users is perfect — a leak or a bug; refusing to report`);
    }
  }
}
