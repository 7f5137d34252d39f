import type { RatingScale } from '@metarec/datasets';
import type { MetaModel } from '@metarec/meta-learning';
import type { UserTask } from '@metarec/schemas';

import { GlobalMeanRecommender } from '../baselines/global-mean.js';
import { ItemMeanRecommender } from '../baselines/item-mean.js';
import { UserMeanRecommender } from '../baselines/user-mean.js';
import type { EvalTask } from '../protocol/eval-task.js';
import type { Recommender } from '../recommender/recommender.js';
import { aggregateTasks } from '../runner/scenario-metrics.js';
import type { TaskMetricOptions, TaskScores } from '../runner/task-scores.js';
import { scoreTask } from '../runner/task-scores.js';
import { AdaptedModelRecommender } from './adapted-model-recommender.js';
import type { UserTaskSplit } from './user-task-split.js';
import { userTaskSplit } from './user-task-split.js';

/** Metrics of one method on the held-out users' query sets (the protocol's `mae`, `rmse`, `nmae`, `nrmse`, `ndcg3`). */
export interface HeldOutMetrics {
  /** Over all query ratings, pooled, of the predictions clipped to the rating scale. `NaN` without query ratings. */
  readonly mae: number;
  readonly rmse: number;
  /** `mae` and `rmse` divided by the scale's range (max − min), comparable across scales. `NaN` without query ratings. */
  readonly nmae: number;
  readonly nrmse: number;
  /** Graded nDCG@k (gain 2^r − 1, ties at their expectation) of the query items, mean over users where defined; `NaN` if none is. */
  readonly ndcg: number;
}

/** The run's evaluation in its lineage (read by the registry gate and the pipeline summary). */
export interface HeldOutEvaluation {
  readonly users: number;
  readonly k: number;
  /** The data's rating scale: every method's query predictions were clipped to it, `nmae`/`nrmse` divide by its range. */
  readonly ratingScale: RatingScale;
  readonly model: HeldOutMetrics;
  readonly baselines: { readonly globalMean: HeldOutMetrics; readonly userMean: HeldOutMetrics; readonly itemMean: HeldOutMetrics };
}

/** Options of {@link evaluateHeldOut}. */
export interface EvaluateHeldOutOptions {
  readonly model: MetaModel;
  readonly params: Float32Array;
  /** Training users: every rating of theirs (support and query) fits the baselines. */
  readonly train: readonly UserTask[];
  /** Held-out users: adapt on support, score the query. */
  readonly heldOut: readonly UserTask[];
  /**
   * The data's rating scale (training's `TaskSet.ratingScale`). Required, no default: the model and
   * the three baselines are all clipped to it before MAE/RMSE, and `nmae`/`nrmse` divide by its
   * range, as `metarec-eval` does; a guessed scale (say 1–5 stars on 0–10 data) would clip good
   * predictions and change the numbers the promotion gate compares without anyone noticing.
   */
  readonly ratingScale: RatingScale;
  /** Local-update steps and rate (the run's inner loop). */
  readonly adaptSteps: number;
  readonly adaptLr: number;
  /** Support-size shrinkage κ of the local update. @defaultValue 0 */
  readonly adaptShrinkage?: number;
  /** Rank cut-off of nDCG. @defaultValue {@link DEFAULT_HELD_OUT_K} */
  readonly k?: number;
}

/** MeLU reports nDCG@3 within the query items; `metarec-eval`'s `ndcg3` uses the same cut-off. */
export const DEFAULT_HELD_OUT_K = 3;

/** The baselines of a run's evaluation, keyed as in {@link HeldOutEvaluation.baselines}: one implementation each, shared with `metarec-eval`. */
export const HELD_OUT_BASELINES = {
  globalMean: (): Recommender => new GlobalMeanRecommender(),
  userMean: (): Recommender => new UserMeanRecommender(),
  itemMean: (): Recommender => new ItemMeanRecommender(),
} as const;

/** How held-out tasks are scored ({@link scoreHeldOut}, {@link evaluateOnSplit}). */
export interface HeldOutScoring {
  /** The data's rating scale: a rating predictor's query predictions are clipped to it before MAE/RMSE. */
  readonly ratingScale: RatingScale;
  /** Rank cut-off of nDCG. @defaultValue {@link DEFAULT_HELD_OUT_K} */
  readonly k?: number;
}

/**
 * Scores each held-out task with `rec` (already fitted) exactly as `runEvaluation` scores a
 * scenario: one `predict` per task on its full support, `scoreTask`'s errors (rating predictions
 * clipped to `scoring.ratingScale`) and nDCG@k.
 */
export async function scoreHeldOut(rec: Recommender, tasks: readonly EvalTask[], scoring: HeldOutScoring): Promise<TaskScores[]> {
  const k = scoring.k ?? DEFAULT_HELD_OUT_K;
  // No negatives are sampled here, so the sampled-negative cut-off and threshold only feed metrics we drop.
  const options: TaskMetricOptions = { positiveThreshold: Number.POSITIVE_INFINITY, rankCutoff: k, queryNdcgCutoff: k, ratingScale: scoring.ratingScale };
  const scores: TaskScores[] = [];
  for (const t of tasks) {
    scores.push(await scoreTask(rec, t, { items: t.supportItems, ratings: t.supportRatings }, options));
  }
  return scores;
}

/** MAE, RMSE (also divided by the range of `ratingScale`) and nDCG of task scores, reduced by the runner's `aggregateTasks` (null → `NaN`). */
export function heldOutMetrics(scores: readonly TaskScores[], ratingScale: RatingScale): HeldOutMetrics {
  const m = aggregateTasks(scores, true, undefined, ratingScale);
  return { mae: m.mae ?? Number.NaN, rmse: m.rmse ?? Number.NaN, nmae: m.nmae ?? Number.NaN, nrmse: m.nrmse ?? Number.NaN, ndcg: m.ndcg3 ?? Number.NaN };
}

/** Fits `rec` on the split's training ratings (seed 0 unless given) and returns its held-out metrics. */
export async function evaluateOnSplit(rec: Recommender, split: UserTaskSplit, scoring: HeldOutScoring & { readonly seed?: number }): Promise<HeldOutMetrics> {
  await rec.fit(split.training, { seed: scoring.seed ?? 0 });
  return heldOutMetrics(await scoreHeldOut(rec, split.tasks, scoring), scoring.ratingScale);
}

/**
 * MeLU's protocol on a run's held-out users: adapt on each user's support set, predict the query
 * set; beside it the protocol's global mean, user mean (support) and damped item mean, fitted on
 * the training users' ratings. Same baselines, scoring and aggregation as `metarec-eval`: every
 * method's query predictions clipped to `options.ratingScale` before MAE/RMSE, `nmae`/`nrmse` beside them.
 */
export async function evaluateHeldOut(options: EvaluateHeldOutOptions): Promise<HeldOutEvaluation> {
  const k = options.k ?? DEFAULT_HELD_OUT_K;
  const ratingScale = options.ratingScale;
  const split = userTaskSplit(options.train, options.heldOut);
  const run = async (rec: Recommender): Promise<HeldOutMetrics> => {
    try {
      return await evaluateOnSplit(rec, split, { ratingScale, k });
    } finally {
      rec.dispose?.();
    }
  };
  const update = { steps: options.adaptSteps, lr: options.adaptLr, shrinkage: options.adaptShrinkage ?? 0 };
  return {
    users: options.heldOut.length,
    k,
    ratingScale,
    model: await run(new AdaptedModelRecommender({ model: options.model, params: options.params, userTasks: split.userTasks, update })),
    baselines: {
      globalMean: await run(HELD_OUT_BASELINES.globalMean()),
      userMean: await run(HELD_OUT_BASELINES.userMean()),
      itemMean: await run(HELD_OUT_BASELINES.itemMean()),
    },
  };
}
