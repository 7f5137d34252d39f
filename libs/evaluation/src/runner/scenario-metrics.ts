import type { RatingScale } from '@metarec/datasets';

import { catalogueCoverage, meanNovelty } from '../metrics/catalogue.js';
import { normalizedByScale } from '../metrics/normalized-error.js';
import { pooledMean } from '../metrics/rating-error.js';
import type { TaskScores } from './task-scores.js';

/** One method's metrics on one scenario and seed. `null` = not applicable (e.g. MAE of a ranking-only scorer). */
export interface ScenarioMetrics {
  readonly mae: number | null;
  readonly rmse: number | null;
  /** MAE divided by the rating scale's range (comparable across data sets); null without a scale. */
  readonly nmae: number | null;
  /** RMSE divided by the rating scale's range; null without a scale. */
  readonly nrmse: number | null;
  /** Graded nDCG@3 within the 10 query items (gain 2^r − 1), the paper's ranking metric. */
  readonly ndcg3: number | null;
  /** nDCG@10 of query positives among sampled unrated items (binary relevance). */
  readonly ndcg10: number | null;
  readonly recall10: number | null;
  readonly auc: number | null;
  /** Distinct items in the users' top-10 lists / items in the scenario's pool. */
  readonly coverage: number | null;
  /** Mean −log2 popularity (bits) of top-10 items. */
  readonly novelty: number | null;
  /** Users (tasks) scored. */
  readonly users: number;
  /** Users excluded from the positive-vs-negatives metrics because none of their query ratings is positive. */
  readonly usersWithoutPositives: number;
}

/** Names of the numeric metrics of {@link ScenarioMetrics}, in report order. */
export const METRIC_NAMES = ['mae', 'rmse', 'nmae', 'nrmse', 'ndcg3', 'ndcg10', 'recall10', 'auc', 'coverage', 'novelty'] as const;

/** A metric name. */
export type MetricName = (typeof METRIC_NAMES)[number];

/** Metrics where lower is better (the report highlights the minimum). */
export const LOWER_IS_BETTER: ReadonlySet<MetricName> = new Set<MetricName>(['mae', 'rmse', 'nmae', 'nrmse']);

function meanDefined(values: number[]): number | null {
  const ok = values.filter((v) => !Number.isNaN(v));
  return ok.length === 0 ? null : ok.reduce((s, v) => s + v, 0) / ok.length;
}

/** Catalogue context for coverage and novelty. */
export interface CatalogueContext {
  readonly poolSize: number;
  readonly raters: ArrayLike<number>;
  readonly trainingUsers: number;
}

/**
 * Aggregates task scores: MAE/RMSE over all query ratings (and divided by the range of `scale`
 * when given), ranking metrics averaged over users where defined.
 */
export function aggregateTasks(tasks: readonly TaskScores[], predictsRatings: boolean, catalogue?: CatalogueContext, scale?: RatingScale): ScenarioMetrics {
  const rated = predictsRatings && tasks.some((t) => t.absErrors.length > 0);
  const lists = tasks.map((t) => t.topList).filter((l): l is Int32Array => l !== undefined);
  const hasLists = catalogue !== undefined && lists.length > 0;
  const mae = rated ? pooledMean(tasks.map((t) => t.absErrors)) : null;
  const rmse = rated ? Math.sqrt(pooledMean(tasks.map((t) => t.sqErrors))) : null;
  return {
    mae,
    rmse,
    nmae: scale === undefined ? null : normalizedByScale(mae, scale),
    nrmse: scale === undefined ? null : normalizedByScale(rmse, scale),
    ndcg3: meanDefined(tasks.map((t) => t.ndcgQuery)),
    ndcg10: meanDefined(tasks.map((t) => t.ndcgRank)),
    recall10: meanDefined(tasks.map((t) => t.recallRank)),
    auc: meanDefined(tasks.map((t) => t.auc)),
    coverage: hasLists ? catalogueCoverage(lists, catalogue.poolSize) : null,
    novelty: hasLists ? meanNovelty(lists, catalogue.raters, catalogue.trainingUsers) : null,
    users: tasks.length,
    usersWithoutPositives: tasks.filter((t) => Number.isNaN(t.auc) && Number.isNaN(t.ndcgRank)).length,
  };
}
