import type { RatingScale } from '@metarec/datasets';
import type { ListHead, MetaModel } from '@metarec/meta-learning';
import type { UserTask } from '@metarec/schemas';

import { DampedBiasRecommender } from '../baselines/damped-bias.js';
import { GlobalMeanRecommender } from '../baselines/global-mean.js';
import { ItemMeanRecommender, PopularityRecommender } from '../baselines/item-mean.js';
import { UserMeanRecommender } from '../baselines/user-mean.js';
import { positiveThresholdOf } from '../metrics/positive-threshold.js';
import type { EvalTask } from '../protocol/eval-task.js';
import type { Recommender } from '../recommender/recommender.js';
import { RANK_CUTOFF } from '../runner/run-evaluation.js';
import { aggregateTasks } from '../runner/scenario-metrics.js';
import type { TaskMetricOptions, TaskScores } from '../runner/task-scores.js';
import { scoreTask } from '../runner/task-scores.js';
import { ListHeadRecommender } from '../list-head/list-head-recommender.js';
import { AdaptedModelRecommender } from './adapted-model-recommender.js';
import { itemFeatureRows } from './item-feature-rows.js';
import { DEFAULT_HELD_OUT_NEGATIVES, withHeldOutNegatives } from './held-out-negatives.js';
import type { UserTaskSplit } from './user-task-split.js';
import { userTaskSplit } from './user-task-split.js';

/**
 * Metrics of one method on the held-out users (the protocol's `mae`, `rmse`, `nmae`, `nrmse`,
 * `ndcg3`, `ndcg10`, `recall10`, `auc`). `NaN` = not defined (JSON: `null`).
 */
export interface HeldOutMetrics {
  /**
   * Over all query ratings, pooled, of the predictions clipped to the rating scale. `NaN` without
   * query ratings and for a ranking-only method (popularity), which predicts no rating.
   */
  readonly mae: number;
  readonly rmse: number;
  /** `mae` and `rmse` divided by the scale's range (max − min), comparable across scales. `NaN` when `mae`/`rmse` are. */
  readonly nmae: number;
  readonly nrmse: number;
  /**
   * Graded nDCG@k (gain 2^r − 1, ties at their expectation) of the query items, mean over users where
   * defined; `NaN` if none is. Also given for a ranking-only method (its scores order the query items), as `metarec-eval` does.
   */
  readonly ndcg: number;
  /**
   * The list a user would see: nDCG@10 (binary relevance) of the user's positive query items (rated
   * at or above {@link HeldOutEvaluation.list}'s `positiveThreshold`) ranked among the sampled
   * unrated items, mean over users with a positive; `NaN` if no user has one. Absent in lineages
   * and registry blocks written before these metrics existed.
   */
  readonly ndcg10?: number;
  /** Share of the user's positive query items in the top 10 of that list, mean over users with a positive; `NaN` as `ndcg10`. */
  readonly recall10?: number;
  /** Probability that a positive query item outscores a sampled unrated one (ties ½), mean over users with a positive; `NaN` as `ndcg10`. */
  readonly auc?: number;
}

/** How the list metrics (`ndcg10`, `recall10`, `auc`) of a {@link HeldOutEvaluation} were measured. */
export interface HeldOutListSettings {
  /** Rank cut-off of `ndcg10` and `recall10`. */
  readonly cutoff: number;
  /** A query label at or above this is a positive: `positiveThresholdOf(ratingScale)` (4 on 1–5 stars; 1 on a 0/1 scale). */
  readonly positiveThreshold: number;
  /** Sampled unrated items per user (fewer when fewer are unrated) and the seed of the draws. */
  readonly negativeCount: number;
  readonly seed: number;
  /** Held-out users without a positive query item: they count in `mae`/`rmse`, not in the list metrics. */
  readonly usersWithoutPositives: number;
}

/** The run's evaluation in its lineage (read by the registry gate and the pipeline summary). */
export interface HeldOutEvaluation {
  readonly users: number;
  readonly k: number;
  /** The data's rating scale: every method's query predictions were clipped to it, `nmae`/`nrmse` divide by its range. */
  readonly ratingScale: RatingScale;
  /** How the list metrics were measured; absent in lineages written before they existed. */
  readonly list?: HeldOutListSettings;
  /** The model as served: with a list head, its ratings (the network stacked with the bias model) and its list order. */
  readonly model: HeldOutMetrics;
  /** With a list head: the network alone (its ratings and its own list order), what the head is measured against. Absent otherwise. */
  readonly network?: HeldOutMetrics;
  readonly baselines: {
    readonly globalMean: HeldOutMetrics;
    readonly userMean: HeldOutMetrics;
    readonly itemMean: HeldOutMetrics;
    /** Ranking-only (training ratings per item): rating metrics `NaN`, the list metrics a model must beat. Absent in older lineages. */
    readonly popularity?: HeldOutMetrics;
    /** Damped bias μ + b_i + b_u (Koren 2010), the rating bar a model must beat. Absent in older lineages. */
    readonly bias?: HeldOutMetrics;
  };
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
  /** Unrated items sampled per held-out user for the list metrics. @defaultValue 100 ({@link DEFAULT_HELD_OUT_NEGATIVES}) */
  readonly negativeCount?: number;
  /** Seed of the negative draws (a training run passes its data split seed). @defaultValue 0 ({@link DEFAULT_HELD_OUT_NEGATIVES}) */
  readonly negativeSeed?: number;
  /** The run's list head: the model's lists are then ordered by it, as serving orders them. */
  readonly listHead?: ListHead;
}

/** MeLU reports nDCG@3 within the query items; `metarec-eval`'s `ndcg3` uses the same cut-off. */
export const DEFAULT_HELD_OUT_K = 3;

/** The baselines of a run's evaluation, keyed as in {@link HeldOutEvaluation.baselines}: one implementation each, shared with `metarec-eval`. */
export const HELD_OUT_BASELINES = {
  globalMean: (): Recommender => new GlobalMeanRecommender(),
  userMean: (): Recommender => new UserMeanRecommender(),
  itemMean: (): Recommender => new ItemMeanRecommender(),
  popularity: (): Recommender => new PopularityRecommender(),
  bias: (): Recommender => new DampedBiasRecommender(),
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
 * scenario: one `predict` per task on its full support (query items, then the task's sampled
 * negatives), `scoreTask`'s errors (rating predictions clipped to `scoring.ratingScale`), nDCG@k
 * within the query items and, against the negatives, nDCG@10, recall@10 and AUC of the query items
 * labelled at or above `positiveThresholdOf(scoring.ratingScale)`.
 *
 * The threshold is on the labels the tasks carry, whatever the model's `task`: a training run's
 * tasks carry the data's rating values for `regression` and `binary` models alike, so positives are
 * "liked" ratings (4+ on 1–5 stars), and 0/1 labels on a 0–1 scale make the positives label 1.
 * A task without negatives (e.g. straight from `userTaskSplit`) has no list metrics (`NaN`).
 */
export async function scoreHeldOut(rec: Recommender, tasks: readonly EvalTask[], scoring: HeldOutScoring): Promise<TaskScores[]> {
  const k = scoring.k ?? DEFAULT_HELD_OUT_K;
  const threshold = positiveThresholdOf(scoring.ratingScale);
  const scores: TaskScores[] = [];
  for (const t of tasks) {
    // Positives ranked only among themselves would make every list perfect: without negatives, no positives.
    const positiveThreshold = t.negatives.length === 0 ? Number.POSITIVE_INFINITY : threshold;
    const options: TaskMetricOptions = { positiveThreshold, rankCutoff: RANK_CUTOFF, queryNdcgCutoff: k, ratingScale: scoring.ratingScale };
    scores.push(await scoreTask(rec, t, { items: t.supportItems, ratings: t.supportRatings }, options));
  }
  return scores;
}

/**
 * The metrics of task scores, reduced by the runner's `aggregateTasks` (null → `NaN`): MAE, RMSE
 * (also divided by the range of `ratingScale`) only for a rating predictor (`predictsRatings`,
 * true unless told), nDCG@k within the query items, and the list metrics.
 */
export function heldOutMetrics(scores: readonly TaskScores[], ratingScale: RatingScale, predictsRatings = true): HeldOutMetrics {
  const m = aggregateTasks(scores, predictsRatings, undefined, ratingScale);
  return {
    mae: m.mae ?? Number.NaN,
    rmse: m.rmse ?? Number.NaN,
    nmae: m.nmae ?? Number.NaN,
    nrmse: m.nrmse ?? Number.NaN,
    ndcg: m.ndcg3 ?? Number.NaN,
    ndcg10: m.ndcg10 ?? Number.NaN,
    recall10: m.recall10 ?? Number.NaN,
    auc: m.auc ?? Number.NaN,
  };
}

/** Fits `rec` on the split's training ratings (seed 0 unless given) and returns its held-out metrics. */
export async function evaluateOnSplit(rec: Recommender, split: UserTaskSplit, scoring: HeldOutScoring & { readonly seed?: number }): Promise<HeldOutMetrics> {
  await rec.fit(split.training, { seed: scoring.seed ?? 0 });
  return heldOutMetrics(await scoreHeldOut(rec, split.tasks, scoring), scoring.ratingScale, rec.predictsRatings);
}

/**
 * MeLU's protocol on a run's held-out users: adapt on each user's support set, predict the query
 * set; beside it the protocol's global mean, user mean (support), damped item mean, popularity and damped bias,
 * fitted on the training users' ratings. Same baselines, scoring and aggregation as `metarec-eval`:
 * every method's query predictions clipped to `options.ratingScale` before MAE/RMSE, `nmae`/`nrmse`
 * beside them; every method ranks the same sampled unrated items per user ({@link withHeldOutNegatives})
 * for the list metrics (see {@link scoreHeldOut} for the positives).
 */
export async function evaluateHeldOut(options: EvaluateHeldOutOptions): Promise<HeldOutEvaluation> {
  const k = options.k ?? DEFAULT_HELD_OUT_K;
  const ratingScale = options.ratingScale;
  const negatives = { negativeCount: options.negativeCount ?? DEFAULT_HELD_OUT_NEGATIVES.negativeCount, seed: options.negativeSeed ?? DEFAULT_HELD_OUT_NEGATIVES.seed };
  const split = withHeldOutNegatives(userTaskSplit(options.train, options.heldOut), negatives);
  const positiveThreshold = positiveThresholdOf(ratingScale);
  const usersWithoutPositives = split.tasks.filter((t) => !t.queryRatings.some((r) => r >= positiveThreshold)).length;
  const run = async (rec: Recommender): Promise<HeldOutMetrics> => {
    try {
      return await evaluateOnSplit(rec, split, { ratingScale, k });
    } finally {
      rec.dispose?.();
    }
  };
  const update = { steps: options.adaptSteps, lr: options.adaptLr, shrinkage: options.adaptShrinkage ?? 0 };
  const network = (): AdaptedModelRecommender => new AdaptedModelRecommender({ model: options.model, params: options.params, userTasks: split.userTasks, itemIds: split.itemIds, update });
  const head = options.listHead;
  return {
    users: options.heldOut.length,
    k,
    ratingScale,
    list: { cutoff: RANK_CUTOFF, positiveThreshold, ...negatives, usersWithoutPositives },
    model: await run(head === undefined ? network() : new ListHeadRecommender(network(), head, itemFeatureRows(split.userTasks, split.itemIds))),
    ...(head === undefined ? {} : { network: await run(network()) }),
    baselines: {
      globalMean: await run(HELD_OUT_BASELINES.globalMean()),
      userMean: await run(HELD_OUT_BASELINES.userMean()),
      itemMean: await run(HELD_OUT_BASELINES.itemMean()),
      popularity: await run(HELD_OUT_BASELINES.popularity()),
      bias: await run(HELD_OUT_BASELINES.bias()),
    },
  };
}
