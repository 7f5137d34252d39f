import { sampleSupportSize, withFirstSupport } from '@metarec/datasets';
import {
  AdaptedModelRecommender,
  adaptedQueryPredictions,
  DEFAULT_HELD_OUT_NEGATIVES,
  heldOutMetrics,
  queryMae,
  scoreHeldOut,
  userTaskSplit,
  withHeldOutNegatives,
  type TaskScores,
} from '@metarec/evaluation';
import { createMetaModel, initialLoopState, initParams, loadParams, runMetaTraining, type MetaModel, type MetaStepExecutor } from '@metarec/meta-learning';
import type { UserTask } from '@metarec/schemas';

import type { ComputePool } from '../compute/compute-pool.js';
import type { TaskSetLoader } from '../data/load-task-set.js';
import type { TaskSet } from '../data/task-set.js';
import { errorCodeOf, TrainingError } from '../errors.js';
import { JOB_SCHEMA_VERSION, type TrialJobData, type TrialResult } from '../queue/job-contracts.js';
import type { RunSpec } from '../spec/run-spec.js';
import { adamOptionsOf, metaStepOptionsOf, modelConfigOf } from '../spec/spec-options.js';
import { PromiseCache } from '../worker/promise-cache.js';
import type { TrainingLogger } from '../worker/training-worker.js';
import type { TuneStore } from './tune-store.js';
import { userFolds } from './user-folds.js';

/** Options of {@link TrialProcessor}. */
export interface TrialProcessorOptions {
  readonly store: TuneStore;
  /** Runs the trial's meta-steps off the event loop (where BullMQ renews the job's lock). */
  readonly pool: ComputePool;
  readonly loadTaskSet: TaskSetLoader;
  readonly logger: TrainingLogger;
  /** Task sets kept in memory, by data section. @defaultValue 2 */
  readonly taskSetCacheSize?: number;
}

/** Defaults of {@link TrialProcessorOptions}. */
export const DEFAULT_TRIAL_PROCESSOR_OPTIONS = { taskSetCacheSize: 2 } as const;

/**
 * Users scored between yields to the event loop. Scoring runs on the worker's main thread (tfjs is
 * synchronous there) and a fold may hold thousands of users: yielding every few lets BullMQ renew
 * the job's lock, so a long fold is not taken for a dead worker.
 */
const SCORE_CHUNK_USERS = 16;

function chunksOf<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += SCORE_CHUNK_USERS) {
    out.push(items.slice(i, i + SCORE_CHUNK_USERS));
  }
  return out;
}

/** A macrotask turn: timers (the lock renewal) run, unlike after an `await` of a settled promise. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Training outcomes of a bad configuration (not faults of the job): the trial is recorded as
 * diverged, ranks last, and is not retried.
 */
const DIVERGED_CODES: ReadonlySet<string> = new Set(['ML_NON_FINITE', 'ML_LOSS_CONSTANT', 'ML_LOSS_ZERO']);

/**
 * The work of one trial job, free of BullMQ: for each of the k folds of the TRAINING users, trains
 * a fresh model (the trial's seed) for the rung's budget on the other folds — meta-learning's loop,
 * each meta-step in a compute thread — and scores the held-out fold after MeLU's local update by
 * the search's objective (query MAE pooled over its ratings, or nDCG@10 among sampled unrated
 * items); the result is the mean over folds, stored once under its key. Every rung trains from
 * scratch: the first steps of a longer budget are the same steps, so a promoted trial's score
 * equals what continuing would give, at ≤ eta/(eta−1) times the compute, and no per-fold optimizer
 * state (3× the parameters per trial and fold) has to wait in Redis for a promotion.
 */
export class TrialProcessor {
  private readonly o: TrialProcessorOptions & { readonly taskSetCacheSize: number };
  private readonly taskSets: PromiseCache<TaskSet>;

  /** @throws TrainingError `TRAIN_OPTIONS_INVALID`. */
  constructor(options: TrialProcessorOptions) {
    this.o = { ...DEFAULT_TRIAL_PROCESSOR_OPTIONS, ...options };
    if (!Number.isInteger(this.o.taskSetCacheSize) || this.o.taskSetCacheSize < 1) {
      throw new TrainingError('TRAIN_OPTIONS_INVALID', 'TrialProcessorOptions.taskSetCacheSize must be an integer >= 1', { field: 'taskSetCacheSize' });
    }
    this.taskSets = new PromiseCache(this.o.taskSetCacheSize);
  }

  /**
   * Trains and scores one trial at one rung and stores the result (first result kept).
   * @throws TrainingError `TRAIN_RUN_NOT_FOUND` (no trial spec), `TRAIN_DATA_EMPTY` (fewer training users than folds),
   * `TRAIN_COMPUTE_FAILED`; meta-learning's `ML_*` other than divergence.
   */
  async process(job: TrialJobData): Promise<TrialResult> {
    const startMs = Date.now();
    const spec = await this.o.store.getTrialSpec(job.tuneId, job.trial);
    const taskSet = await this.taskSets.get(JSON.stringify(spec.data), () => this.o.loadTaskSet(spec.data));
    const folds = userFolds(taskSet.train.length, job.folds, job.foldSeed);
    const foldMetrics: Array<number | null> = [];
    let diverged: string | null = null;
    for (let f = 0; f < folds.length && diverged === null; f++) {
      const held = new Set(folds[f]);
      const train = taskSet.train.filter((_, i) => !held.has(i));
      const evalTasks = folds[f].map((i) => taskSet.train[i]);
      try {
        foldMetrics.push(await this.trainAndScore(spec, taskSet, train, evalTasks, job));
      } catch (e) {
        const code = errorCodeOf(e);
        if (code === undefined || !DIVERGED_CODES.has(code)) {
          throw e;
        }
        diverged = code;
        foldMetrics.push(null);
      }
    }
    const finite = foldMetrics.every((m) => m !== null && Number.isFinite(m));
    const metric = diverged === null && finite ? (foldMetrics as number[]).reduce((a, b) => a + b, 0) / foldMetrics.length : null;
    const result: TrialResult = { v: JOB_SCHEMA_VERSION, metric, foldMetrics, diverged: diverged ?? (finite ? null : 'NON_FINITE_METRIC'), computeMs: Date.now() - startMs };
    const kept = await this.o.store.putResult(job.tuneId, job.trial, job.rung, result);
    this.o.logger.info({ tuneId: job.tuneId, trial: job.trial, rung: job.rung, steps: job.steps, metric, diverged: result.diverged, kept }, 'tune trial evaluated');
    return result;
  }

  /** One fold: a fresh model trained `job.steps` meta-steps on `train`, scored on `evalTasks` by the job's objective. */
  private async trainAndScore(spec: RunSpec, taskSet: TaskSet, train: readonly UserTask[], evalTasks: readonly UserTask[], job: TrialJobData): Promise<number> {
    const steps = job.steps;
    const model = createMetaModel(taskSet.featureLayout, modelConfigOf(spec));
    const stepOptions = metaStepOptionsOf(spec);
    const executor: MetaStepExecutor = {
      taskCount: train.length,
      step: async (params, batch) => {
        // Support-size sampling as the shard processor does it, seeded by (seed, step, task).
        const tasks = batch.taskIndices.map((i) => (spec.supportSizes.length === 0 ? train[i] : withFirstSupport(train[i], sampleSupportSize(spec.supportSizes, spec.seed, batch.step, i))));
        const out = await this.o.pool.run({ featureLayout: taskSet.featureLayout, modelConfig: modelConfigOf(spec), params, tasks, step: stepOptions });
        return { loss: out.loss, gradient: out.gradient };
      },
    };
    const perEpoch = Math.ceil(train.length / spec.metaBatchSize);
    const trained = await runMetaTraining(executor, initialLoopState(model.layout, initParams(model), spec.seed), {
      metaBatchSize: spec.metaBatchSize,
      // The rung's budget decides the length: as many epochs as it takes, stopped at `steps`.
      epochs: Math.ceil(steps / perEpoch),
      maxSteps: steps,
      outerLr: spec.outer.lr,
      schedule: spec.outer.schedule,
      adam: adamOptionsOf(spec),
    });
    return job.objective === 'mae' ? this.queryMae(spec, model, trained.params, evalTasks) : this.ndcg10(spec, model, trained.params, taskSet, train, evalTasks, job.foldSeed);
  }

  /** Query MAE on `evalTasks` after the local update, pooled over their ratings. */
  private async queryMae(spec: RunSpec, model: MetaModel, params: Float32Array, evalTasks: readonly UserTask[]): Promise<number> {
    const base = loadParams(model, params);
    try {
      const predictions: Float32Array[] = [];
      for (const chunk of chunksOf(evalTasks)) {
        predictions.push(...adaptedQueryPredictions(base, chunk, { steps: spec.inner.steps, lr: spec.inner.lr }));
        await yieldToEventLoop();
      }
      return queryMae(predictions, evalTasks);
    } finally {
      base.dispose();
    }
  }

  /**
   * nDCG@10 of `evalTasks` as the run's held-out evaluation computes it: after the local update,
   * the liked query items ranked among sampled unrated items (seeded by the fold seed, so every
   * trial ranks the same items).
   */
  private async ndcg10(spec: RunSpec, model: MetaModel, params: Float32Array, taskSet: TaskSet, train: readonly UserTask[], evalTasks: readonly UserTask[], seed: number): Promise<number> {
    const split = withHeldOutNegatives(userTaskSplit(train, evalTasks), { negativeCount: DEFAULT_HELD_OUT_NEGATIVES.negativeCount, seed });
    const rec = new AdaptedModelRecommender({ model, params, userTasks: split.userTasks, itemIds: split.itemIds, update: { steps: spec.inner.steps, lr: spec.inner.lr } });
    try {
      // Nothing to fit (the model is trained); called to keep the recommender protocol's order.
      rec.fit();
      const scores: TaskScores[] = [];
      for (const chunk of chunksOf(split.tasks)) {
        scores.push(...(await scoreHeldOut(rec, chunk, { ratingScale: taskSet.ratingScale })));
        await yieldToEventLoop();
      }
      return heldOutMetrics(scores, taskSet.ratingScale, rec.predictsRatings).ndcg10 ?? Number.NaN;
    } finally {
      rec.dispose?.();
    }
  }
}
