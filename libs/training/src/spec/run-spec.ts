import { z } from 'zod';

import { TrainingError } from '../errors.js';
import { searchSpecSchema } from './search-spec.js';
import { tuningProvenanceSchema } from './tuning-provenance.js';

/** Version of the run-spec JSON; bump on an incompatible change. */
export const RUN_SPEC_VERSION = 1;

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
/**
 * Id dropout of the training split: probability in [0, 1) that a training row's item id is replaced
 * by the unknown index 0 (datasets' `applyIdDropout`), so the unknown row learns to stand for items
 * released after training. 0 = off (the default).
 */
const idDropout = z.number().min(0).lt(1, 'must be below 1').default(0);

/**
 * How record-based data becomes tasks, shared by every data kind: MeLU's task cut (query size,
 * rating bounds, support = the rest) and the hashed train / validation / test user split.
 */
const taskSplitFields = {
  queryCount: positiveInt.default(10),
  minRatings: positiveInt.default(13),
  maxRatings: positiveInt.default(100),
  /** Share of eligible users held out for validation / test (by hashed user id). */
  validationFraction: z.number().min(0).max(0.5).default(0.1),
  testFraction: z.number().min(0).max(0.5).default(0.1),
  splitSeed: z.number().int().default(0),
  /** Drops `item_id`, seeded by `splitSeed`. */
  idDropout,
};

/**
 * Options of datasets' `generateSynthetic` (the one synthetic world; explicit ratings). Defaults
 * are the generator's; it checks the ranges (`DS_INVALID_OPTION` naming the option) when the task
 * set is built.
 */
const syntheticWorld = z
  .object({
    seed: z.number().int().optional(),
    users: positiveInt.optional(),
    items: positiveInt.optional(),
    interactionsPerUser: z.object({ min: positiveInt, max: positiveInt }).optional(),
    startMs: z.number().finite().optional(),
    days: z.number().positive().optional(),
    newUserFraction: z.number().optional(),
    newItemFraction: z.number().optional(),
    lateShare: z.number().optional(),
    noise: z.number().optional(),
    latentDim: positiveInt.optional(),
    profileShare: z.number().optional(),
    popularityExponent: z.number().optional(),
    globalMean: z.number().optional(),
  })
  .default({});

/** A generated world (datasets' `generateSynthetic`), cut into tasks like offline-store data: tests and benchmarks. */
const syntheticData = z.object({
  kind: z.literal('synthetic'),
  world: syntheticWorld,
  ...taskSplitFields,
});

/** The offline feature store: interactions of a date range (default: every partition up to the latest watermark). */
const offlineStoreData = z.object({
  kind: z.literal('offline-store'),
  root: z.string().min(1),
  fromDate: isoDate.optional(),
  toDate: isoDate.optional(),
  ...taskSplitFields,
});

/**
 * A MovieLens directory (ML-100K or ML-1M): public data through the trainer itself, e.g. to measure
 * the served list against popularity on the data the literature uses. Every worker reads `dir`.
 */
const movieLensData = z.object({
  kind: z.literal('movielens'),
  dir: z.string().min(1),
  ...taskSplitFields,
});

const modelSchema = z
  .object({
    embeddingDim: positiveInt.optional(),
    hidden: z.array(positiveInt).min(1).optional(),
    task: z.enum(['regression', 'binary']).optional(),
    adapt: z.enum(['decision-layers', 'all']).optional(),
    activation: z.enum(['relu', 'softplus']).optional(),
    initSeed: z.number().int().optional(),
    outputOffset: z.number().optional(),
    metaSgdInitLr: z.number().positive().optional(),
  })
  .default({});

const scheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant') }),
  z.object({ kind: z.literal('cosine'), totalSteps: positiveInt, warmupSteps: nonNegativeInt.optional(), minLr: z.number().nonnegative().optional() }),
  z.object({ kind: z.literal('step'), stepSize: positiveInt, gamma: z.number().positive() }),
]);

/** The zod schema of a run spec (JSON in, {@link RunSpec} out, defaults filled). */
export const runSpecSchema = z.object({
  specVersion: z.literal(RUN_SPEC_VERSION).default(RUN_SPEC_VERSION),
  name: z.string().min(1).max(100).default('melu'),
  data: z.discriminatedUnion('kind', [syntheticData, offlineStoreData, movieLensData]),
  model: modelSchema,
  /** `meta-sgd` = second-order MAML on a model with learned per-element inner rates. */
  algorithm: z.enum(['maml', 'fomaml', 'reptile', 'meta-sgd']).default('maml'),
  inner: z.object({ steps: nonNegativeInt.default(5), lr: z.number().nonnegative().default(0.01), l2: z.number().nonnegative().default(0) }).default({ steps: 5, lr: 0.01, l2: 0 }),
  outer: z
    .object({
      lr: z.number().positive().default(1e-3),
      schedule: scheduleSchema.default({ kind: 'constant' }),
      clipValue: z.number().nonnegative().default(0),
      clipNorm: z.number().nonnegative().default(0),
      l2: z.number().nonnegative().default(0),
      weightDecay: z.number().nonnegative().default(0),
    })
    .default({ lr: 1e-3, schedule: { kind: 'constant' }, clipValue: 0, clipNorm: 0, l2: 0, weightDecay: 0 }),
  metaBatchSize: positiveInt.default(32),
  epochs: positiveInt.default(1),
  /** Stop after this many meta-steps even mid-epoch (0 = no limit). */
  maxSteps: nonNegativeInt.default(0),
  /**
   * Most tasks in one shard job (bounds a worker's memory). With `sharding: 'fixed'` the batch is
   * cut into chunks of this size, so any number of workers gives the same shards and bit-identical parameters.
   */
  shardSize: positiveInt.default(8),
  /**
   * `fixed`: ⌈metaBatchSize / shardSize⌉ shards per step. `live-workers`: one shard per live worker
   * slot (workers announce themselves; at least the fixed count) — a single worker then computes the
   * meta-batch as one stacked pass with one round of queue overhead; parameters then agree across
   * worker counts only up to float summation order.
   */
  sharding: z.enum(['fixed', 'live-workers']).default('fixed'),
  /**
   * Support-size sampling ("shots", datasets' `sampleSupportSize`): each use of a training task cuts
   * its support to a size drawn from this list (integers ≥ 1 or 'all'), seeded by (seed, step,
   * task), so the prior learns to do well after few ratings. Empty (the default): whole supports.
   * Validation and evaluation always use whole supports.
   */
  supportSizes: z.array(z.union([positiveInt, z.literal('all')])).default([]),
  /**
   * Candidate support-size shrinkages κ (`AdaptOptions.shrinkage` of meta-learning: each local step
   * scaled by n/(n+κ)) tried on the validation users once training ends; the best is recorded in
   * the lineage and bundle and used by evaluation and serving. Empty: no calibration (κ = 0, MeLU).
   * Only the saved model's local update changes, so it is left out of the spec hash.
   */
  shrinkageGrid: z.array(z.number().nonnegative().finite()).default([0, 1, 2, 5, 10, 20]),
  /**
   * The list head fitted once training ends (evaluation's `fitListHead`): popularity, an item-item
   * model and content from the training users, and per support-size bucket the weights that order
   * the network's scores among them, chosen on the validation users. It travels in the bundle and
   * orders what serving returns. Off, or without validation users: lists follow the network alone.
   * Like `shrinkageGrid` it only shapes the saved model, so it is left out of the spec hash.
   */
  listHead: z
    .object({
      enabled: z.boolean().default(true),
      /** Sampled unrated items per validation list. */
      negativeCount: positiveInt.default(100),
      /** Item-item ridge λ tried, as multiples of the mean interactions per item. */
      itemItemL2Multipliers: z.array(z.number().positive().finite()).min(1).default([1, 3, 10, 30, 100, 300, 1000]),
      /** Item-item vocabulary (the most interacted items); the bundle holds its square as float32. */
      maxItems: positiveInt.max(20_000).default(3000),
    })
    .default({ enabled: true, negativeCount: 100, itemItemL2Multipliers: [1, 3, 10, 30, 100, 300, 1000], maxItems: 3000 }),
  seed: z.number().int().default(0),
  /** Meta-steps between validations (0 = only at the end). */
  validateEvery: nonNegativeInt.default(0),
  /** Validations without improvement before stopping early (0 = never). */
  patience: nonNegativeInt.default(0),
  /** Meta-steps between checkpoints. */
  checkpointEvery: positiveInt.default(10),
  /** Attempts of a shard job before the run fails. */
  attempts: positiveInt.max(20).default(3),
  /** First retry delay of a failed shard job (exponential). */
  backoffMs: nonNegativeInt.default(1000),
  output: z.object({ dir: z.string().min(1) }),
  /** Hyperparameter search of `trainer tune` (see `searchSpecSchema`); ignored by `trainer run`, left out of the spec hash. */
  search: searchSpecSchema.optional(),
  /** The search this spec's values were chosen by (`trainer tune --write-spec`); provenance only, left out of the spec hash. */
  tuning: tuningProvenanceSchema.optional(),
});

/** A validated run spec with defaults applied. */
export type RunSpec = z.output<typeof runSpecSchema>;
/** A run spec as written in JSON (defaults optional). */
export type RunSpecInput = z.input<typeof runSpecSchema>;
/** The data section of a run spec. */
export type RunDataSpec = RunSpec['data'];

/**
 * The data section without `idDropout`: what the data version and the evaluation set are
 * fingerprinted from. Id dropout transforms the training tasks, not the data read nor the held-out
 * users, so a run with dropout shares its data version and evaluation set with one without (the
 * promotion gate compares them); the spec hash carries the setting.
 */
export function dataIdentityOf<D extends RunDataSpec>(data: D): Omit<D, 'idDropout'> {
  const { idDropout: _idDropout, ...rest } = data;
  return rest;
}

/**
 * Validates `raw` (parsed JSON) as a run spec and fills defaults.
 * @throws TrainingError `TRAIN_SPEC_INVALID` naming the first offending field.
 */
export function parseRunSpec(raw: unknown): RunSpec {
  const parsed = runSpecSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || '(root)';
    throw new TrainingError('TRAIN_SPEC_INVALID', `run spec ${field}: ${issue.message}`, { field });
  }
  return parsed.data;
}
