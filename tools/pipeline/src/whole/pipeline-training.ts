/**
 * How the pipeline meta-trains (tools/pipeline/src/study/cold-user-study.ts measured the choices on
 * this world's held-out users). FOMAML: a meta-step costs a fraction of MAML's second-order one, so
 * the time budget buys ~3x more steps, and with more steps it matched or beat MAML here. Inner lr
 * 0.05: at MeLU's 0.01 five steps barely move the decision layers (0.1 was worse than 0.05).
 * Validation every 50 steps keeps the best-validated parameters: the training users' loss keeps
 * falling after ~350 steps while held-out users get worse (memorization). Serving adapts with the
 * same inner steps and lr (a different local update than the meta-trained one is a train/serve skew).
 * `item_id` dropout 0.1 on the training users trains the unknown row new items are encoded to (study:
 * held-out items scored as new items 0.781 -> 0.762 MAE, known items unchanged; see docs/results.md).
 * Support sizes 2, 5, 10, all, all (each training use cuts a task's support to one of them): the
 * prior is trained for barely-seen users too, and the augmentation lets validation keep improving to
 * ~750 steps instead of ~400 (study, 184 held-out users, FOMAML, best validated step kept, model vs
 * bias: without: 0 ratings 0.883, 3 0.841, 10 0.772, all 0.725; with, 800 steps: 0 ratings 0.781,
 * 3 0.792, 10 0.741, all 0.714; bias 0.784 / 0.773 / 0.761 / 0.748; docs/results.md).
 */
export const PIPELINE_TRAINING = {
  algorithm: 'fomaml',
  inner: { steps: 5, lr: 0.05 },
  validateEvery: 50,
  patience: 3,
  idDropout: 0.1,
  supportSizes: [2, 5, 10, 'all', 'all'],
  steps: 800,
} as const;

/** Options of {@link pipelineRunSpec}. */
export interface PipelineRunSpecOptions {
  /** The run's offline store (what ingest wrote from Kafka). */
  readonly offlineStoreDir: string;
  /** Where the trainer writes the run (model, lineage, checkpoints). */
  readonly outputDir: string;
  /** Meta-steps at most (validation patience may stop earlier). */
  readonly maxSteps: number;
}

/**
 * The trainer's run spec for a pipeline run: {@link PIPELINE_TRAINING} on the run's offline store.
 * The settings are those of `apps/trainer/specs/movielens-100k.json` (the MeLU task cut: 10 query
 * ratings, users with 13–100 ratings, 20 % test and 10 % validation users; a test holds them
 * equal), so the pipeline on ML-100K trains as the trainer's own ML-100K spec does — but from the
 * data that went through Kafka and ingest (`offline-store`), not from the files (`movielens`).
 */
export function pipelineRunSpec(o: PipelineRunSpecOptions): Record<string, unknown> {
  return {
    name: 'melu',
    data: { kind: 'offline-store', root: o.offlineStoreDir, queryCount: 10, minRatings: 13, maxRatings: 100, testFraction: 0.2, validationFraction: 0.1, idDropout: PIPELINE_TRAINING.idDropout },
    model: { outputOffset: 3.5 },
    algorithm: PIPELINE_TRAINING.algorithm,
    inner: PIPELINE_TRAINING.inner,
    metaBatchSize: 16,
    // Epochs over the training users until maxSteps: small worlds have few tasks per epoch.
    epochs: 1_000,
    maxSteps: o.maxSteps,
    validateEvery: PIPELINE_TRAINING.validateEvery,
    patience: PIPELINE_TRAINING.patience,
    supportSizes: PIPELINE_TRAINING.supportSizes,
    shardSize: 8,
    // Every 10 steps (the ML-100K spec: 50): the report's loss history is read from the last checkpoint.
    checkpointEvery: 10,
    output: { dir: o.outputDir },
  };
}
