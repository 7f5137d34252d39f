// The pipeline's bars on held-out users, all from libs/evaluation's protocol: the run's baselines
// (global, user and damped item mean) plus the damped bias baseline, and the model after its local
// update, each as per-user task scores so the check can pair them by user. Rating predictions are
// clipped to the data's rating scale before the errors, as the trainer's evaluation does.
import type { RatingScale } from '@metarec/datasets';
import {
  AdaptedModelRecommender,
  adaptedQueryPredictions,
  DampedBiasRecommender,
  HELD_OUT_BASELINES,
  heldOutMetrics,
  queryMae,
  scoreHeldOut,
  type Recommender,
  type TaskScores,
  type UserTaskSplit,
} from '@metarec/evaluation';
import { loadParams, type AdaptOptions, type MetaModel } from '@metarec/meta-learning';
import type { UserTask } from '@metarec/schemas';

/**
 * The baselines of the pipeline's held-out check (MAE bars): the trainer's three rating baselines and
 * the stronger damped bias. Not popularity: it predicts no rating (the trainer reports its list metrics).
 */
export const PIPELINE_BASELINES = {
  globalMean: HELD_OUT_BASELINES.globalMean,
  userMean: HELD_OUT_BASELINES.userMean,
  itemMean: HELD_OUT_BASELINES.itemMean,
  bias: (): Recommender => new DampedBiasRecommender(),
};

/** Names of the baselines. */
export type BaselineName = keyof typeof PIPELINE_BASELINES;

/** MAE of each baseline on the held-out users' query ratings. */
export type BaselineMae = Readonly<Record<BaselineName, number>>;

/** Fits `rec` on the split's training ratings and scores its held-out tasks on `ratingScale`; disposes it. */
async function fitAndScore(rec: Recommender, split: UserTaskSplit, ratingScale: RatingScale): Promise<TaskScores[]> {
  try {
    await rec.fit(split.training, { seed: 0 });
    return await scoreHeldOut(rec, split.tasks, { ratingScale });
  } finally {
    rec.dispose?.();
  }
}

/** Task scores of every baseline on the split (predictions clipped to `ratingScale`). */
export async function baselineScores(split: UserTaskSplit, ratingScale: RatingScale): Promise<Record<BaselineName, TaskScores[]>> {
  const out: Partial<Record<BaselineName, TaskScores[]>> = {};
  for (const name of Object.keys(PIPELINE_BASELINES) as BaselineName[]) {
    out[name] = await fitAndScore(PIPELINE_BASELINES[name](), split, ratingScale);
  }
  return out as Record<BaselineName, TaskScores[]>;
}

/** MAE of each baseline on the split (predictions clipped to `ratingScale`). */
export async function baselineMae(split: UserTaskSplit, ratingScale: RatingScale): Promise<BaselineMae> {
  const scores = await baselineScores(split, ratingScale);
  return Object.fromEntries(Object.entries(scores).map(([name, s]) => [name, maeOf(s, ratingScale)])) as Record<BaselineName, number>;
}

/** Task scores of the model after `update` on each held-out support set (0 steps: the prior), predictions clipped to `ratingScale`. */
export function modelScores(model: MetaModel, params: Float32Array, split: UserTaskSplit, update: Partial<AdaptOptions>, ratingScale: RatingScale): Promise<TaskScores[]> {
  return fitAndScore(new AdaptedModelRecommender({ model, params, userTasks: split.userTasks, itemIds: split.itemIds, update }), split, ratingScale);
}

/** Pooled MAE of task scores (the protocol's; the scores were clipped to `ratingScale` already). */
export function maeOf(scores: readonly TaskScores[], ratingScale: RatingScale): number {
  return heldOutMetrics(scores, ratingScale).mae;
}

/** Each task's query predictions after `update` on its support set (synchronous, for training callbacks). */
export function modelPredictions(model: MetaModel, params: Float32Array, tasks: readonly UserTask[], update: Partial<AdaptOptions>): Float32Array[] {
  const base = loadParams(model, params);
  try {
    return adaptedQueryPredictions(base, tasks, update);
  } finally {
    base.dispose();
  }
}

/** Pooled query MAE of {@link modelPredictions}. */
export function modelMae(model: MetaModel, params: Float32Array, tasks: readonly UserTask[], update: Partial<AdaptOptions>): number {
  return queryMae(modelPredictions(model, params, tasks, update), tasks);
}
