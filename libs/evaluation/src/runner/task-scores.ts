import type { RatingScale } from '@metarec/datasets';

import { clipToScale } from '../metrics/clip-to-scale.js';
import { areaUnderRoc, ndcgAtK, recallAtK } from '../metrics/ranking.js';
import { topK } from '../metrics/catalogue.js';
import { absoluteErrors, squaredErrors } from '../metrics/rating-error.js';
import type { EvalTask } from '../protocol/eval-task.js';
import type { Recommender, SupportSet } from '../recommender/recommender.js';

/** Metric settings shared by every task. */
export interface TaskMetricOptions {
  /** A query rating at or above this is a positive for the sampled-negatives ranking (runEvaluation derives it from the scale). */
  readonly positiveThreshold: number;
  /** Cut-off of nDCG/recall over positives + sampled negatives. @defaultValue 10 */
  readonly rankCutoff: number;
  /** Cut-off of the paper's graded nDCG within the query items. @defaultValue 3 */
  readonly queryNdcgCutoff: number;
  /**
   * The data's rating scale: when given, a rating predictor's query predictions are clipped to
   * it before MAE/RMSE ({@link clipToScale}); rankings use the scores as predicted (clipping is
   * monotone and would only turn the top of a list into ties).
   */
  readonly ratingScale?: RatingScale;
}

/** One task's raw results, aggregated later. Ranking fields are `NaN` when undefined (no positive). */
export interface TaskScores {
  readonly supportSize: number;
  readonly absErrors: Float64Array;
  readonly sqErrors: Float64Array;
  readonly ndcgQuery: number;
  readonly ndcgRank: number;
  readonly recallRank: number;
  readonly auc: number;
  /** Top-k list over the scenario's pool (support items excluded), when catalogue metrics are on. */
  readonly topList?: Int32Array;
}

function concat(...parts: Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Scores one task with one call to `predict` (adaptation happens once) and, for a method with its
 * own list order (`rank`), one call to `rank`: query items, sampled
 * negatives and, when `pool` is given, the scenario's catalogue for the top-k list.
 */
export async function scoreTask(
  rec: Recommender,
  task: EvalTask,
  support: SupportSet,
  options: TaskMetricOptions,
  pool?: Int32Array,
  poolExclude?: Uint8Array,
): Promise<TaskScores> {
  const nq = task.queryItems.length;
  const items = pool ? concat(task.queryItems, task.negatives, pool) : concat(task.queryItems, task.negatives);
  const scores = await rec.predict(task.user, support, items);
  const q = scores.subarray(0, nq);
  const listScores = rec.rank ? await rec.rank(task.user, support, items) : scores;
  const rated = rec.predictsRatings && options.ratingScale !== undefined ? clipToScale(q, options.ratingScale) : q;
  const absErrors = absoluteErrors(rated, task.queryRatings);
  const sqErrors = squaredErrors(rated, task.queryRatings);
  const gains = Float64Array.from(task.queryRatings, (r) => 2 ** r - 1);
  const rankScores: number[] = [];
  const relevant: number[] = [];
  for (let j = 0; j < nq; j++) {
    if (task.queryRatings[j] >= options.positiveThreshold) {
      rankScores.push(listScores[j]);
      relevant.push(1);
    }
  }
  for (let j = 0; j < task.negatives.length; j++) {
    rankScores.push(listScores[nq + j]);
    relevant.push(0);
  }
  let topList: Int32Array | undefined;
  if (pool && poolExclude) {
    for (const i of support.items) {
      poolExclude[i] = 1;
    }
    topList = topK(pool, listScores.subarray(nq + task.negatives.length), options.rankCutoff, poolExclude);
    for (const i of support.items) {
      poolExclude[i] = 0;
    }
  }
  return {
    supportSize: support.items.length,
    absErrors,
    sqErrors,
    ndcgQuery: ndcgAtK(q, gains, options.queryNdcgCutoff),
    ndcgRank: ndcgAtK(rankScores, relevant, options.rankCutoff),
    recallRank: recallAtK(rankScores, relevant, options.rankCutoff),
    auc: areaUnderRoc(rankScores, relevant),
    topList,
  };
}
