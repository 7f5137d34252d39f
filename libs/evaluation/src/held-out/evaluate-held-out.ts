import type { MetaModel } from '@metarec/meta-learning';
import type { UserTask } from '@metarec/schemas';

import { GlobalMeanRecommender } from '../baselines/global-mean.js';
import { ItemMeanRecommender } from '../baselines/item-mean.js';
import { UserMeanRecommender } from '../baselines/user-mean.js';
import type { EvalTask } from '../protocol/eval-task.js';
import type { Recommender } from '../recommender/recommender.js';
import { aggregateTasks } from '../runner/scenario-metrics.js';
import type { TaskScores } from '../runner/task-scores.js';
import { scoreTask } from '../runner/task-scores.js';
import { AdaptedModelRecommender } from './adapted-model-recommender.js';
import type { UserTaskSplit } from './user-task-split.js';
import { userTaskSplit } from './user-task-split.js';

/** Metrics of one method on the held-out users' query sets (the protocol's `mae`, `rmse`, `ndcg3`). */
export interface HeldOutMetrics {
  /** Over all query ratings, pooled. `NaN` without query ratings. */
  readonly mae: number;
  readonly rmse: number;
  /** Graded nDCG@k (gain 2^r − 1, ties at their expectation) of the query items, mean over users where defined; `NaN` if none is. */
  readonly ndcg: number;
}

/** The run's evaluation in its lineage (read by the registry gate and the pipeline summary). */
export interface HeldOutEvaluation {
  readonly users: number;
  readonly k: number;
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

/**
 * Scores each held-out task with `rec` (already fitted) exactly as `runEvaluation` scores a
 * scenario: one `predict` per task on its full support, `scoreTask`'s errors and nDCG@k.
 */
export async function scoreHeldOut(rec: Recommender, tasks: readonly EvalTask[], k: number = DEFAULT_HELD_OUT_K): Promise<TaskScores[]> {
  // No negatives are sampled here, so the sampled-negative cut-off and threshold only feed metrics we drop.
  const options = { positiveThreshold: Number.POSITIVE_INFINITY, rankCutoff: k, queryNdcgCutoff: k };
  const scores: TaskScores[] = [];
  for (const t of tasks) {
    scores.push(await scoreTask(rec, t, { items: t.supportItems, ratings: t.supportRatings }, options));
  }
  return scores;
}

/** MAE, RMSE and nDCG of task scores, reduced by the runner's `aggregateTasks` (null → `NaN`). */
export function heldOutMetrics(scores: readonly TaskScores[]): HeldOutMetrics {
  const m = aggregateTasks(scores, true);
  return { mae: m.mae ?? Number.NaN, rmse: m.rmse ?? Number.NaN, ndcg: m.ndcg3 ?? Number.NaN };
}

/** Fits `rec` on the split's training ratings and returns its held-out metrics. */
export async function evaluateOnSplit(rec: Recommender, split: UserTaskSplit, k: number = DEFAULT_HELD_OUT_K, seed = 0): Promise<HeldOutMetrics> {
  await rec.fit(split.training, { seed });
  return heldOutMetrics(await scoreHeldOut(rec, split.tasks, k));
}

/**
 * MeLU's protocol on a run's held-out users: adapt on each user's support set, predict the query
 * set; beside it the protocol's global mean, user mean (support) and damped item mean, fitted on
 * the training users' ratings. Same baselines, scoring and aggregation as `metarec-eval`.
 */
export async function evaluateHeldOut(options: EvaluateHeldOutOptions): Promise<HeldOutEvaluation> {
  const k = options.k ?? DEFAULT_HELD_OUT_K;
  const split = userTaskSplit(options.train, options.heldOut);
  const run = async (rec: Recommender): Promise<HeldOutMetrics> => {
    try {
      return await evaluateOnSplit(rec, split, k);
    } finally {
      rec.dispose?.();
    }
  };
  const update = { steps: options.adaptSteps, lr: options.adaptLr, shrinkage: options.adaptShrinkage ?? 0 };
  return {
    users: options.heldOut.length,
    k,
    model: await run(new AdaptedModelRecommender({ model: options.model, params: options.params, userTasks: split.userTasks, update })),
    baselines: {
      globalMean: await run(HELD_OUT_BASELINES.globalMean()),
      userMean: await run(HELD_OUT_BASELINES.userMean()),
      itemMean: await run(HELD_OUT_BASELINES.itemMean()),
    },
  };
}
