import { z } from 'zod';

/** A categorical parameter: one of `values`, drawn uniformly. */
const categoricalParam = z.object({ values: z.array(z.union([z.number(), z.string(), z.boolean()])).min(1) }).strict();

/**
 * A numeric parameter in [min, max]: uniform, or log-uniform with `log` (then min > 0); `int`
 * rounds the draw to the nearest integer (after the log transform).
 */
const rangeParam = z
  .object({ min: z.number().finite(), max: z.number().finite(), log: z.boolean().default(false), int: z.boolean().default(false) })
  .strict()
  .refine((p) => p.max >= p.min, { message: 'max must be >= min' })
  .refine((p) => !p.log || p.min > 0, { message: 'log ranges need min > 0' });

/** One parameter of a search space. */
export const searchParamSchema = z.union([categoricalParam, rangeParam]);

/** Dotted path into the run spec (`inner.lr`, `outer.lr`, `model.embeddingDim`, `metaBatchSize`). */
const paramPath = z.string().regex(/^[A-Za-z]\w*(\.[A-Za-z]\w*)*$/, 'must be a dotted path into the run spec, e.g. inner.lr');

/**
 * The `search` block of a run spec (`trainer tune`): a random search space cut by ASHA
 * (asynchronous successive halving). Each trial is the run spec with its sampled parameters set,
 * trained for a rung's budget of meta-steps on k−1 folds of the TRAINING users and scored on the
 * held-out fold (mean over folds); validation and test users are never used. Left out of the spec
 * hash and ignored by `trainer run`.
 */
export const searchSpecSchema = z
  .object({
    /** Parameter path → its range or values. */
    space: z.record(paramPath, searchParamSchema).refine((s) => Object.keys(s).length > 0, { message: 'needs at least one parameter' }),
    /** Configurations sampled (each starts at the lowest rung). */
    trials: z.number().int().min(1).max(1000).default(9),
    /** Folds of the training users (k-fold cross-validation; each trial trains k models per rung). */
    folds: z.number().int().min(2).max(20).default(3),
    /** ASHA reduction factor: the top 1/eta of a rung's results are promoted to eta× the budget. */
    eta: z.number().int().min(2).default(3),
    /** Budget of the lowest rung, meta-steps. */
    minSteps: z.number().int().min(1).default(10),
    /** Budget of the highest rung, meta-steps (rungs: minSteps·eta^r below it, then maxSteps). */
    maxSteps: z.number().int().min(1).default(90),
    /**
     * What the search optimises on the held-out fold after MeLU's local update: `mae` (minimised) =
     * query MAE pooled over its ratings; `ndcg10` (maximised) = nDCG@10 of the liked query items
     * ranked among 100 sampled unrated items (libs/evaluation's held-out list protocol; costs the
     * scoring of those items per user).
     */
    objective: z.enum(['mae', 'ndcg10']).default('mae'),
    /** Seeds the samples, the folds and (with the trial index) each trial's training seed. */
    seed: z.number().int().default(0),
  })
  .refine((s) => s.maxSteps >= s.minSteps, { message: 'maxSteps must be >= minSteps', path: ['maxSteps'] });

/** Whether an objective is minimised or maximised. */
export const OBJECTIVE_GOAL = { mae: 'min', ndcg10: 'max' } as const satisfies Record<string, 'min' | 'max'>;

/** A validated search block with defaults applied. */
export type SearchSpec = z.output<typeof searchSpecSchema>;
/** One parameter of a search space. */
export type SearchParam = z.output<typeof searchParamSchema>;
/** What a search optimises. */
export type SearchObjective = SearchSpec['objective'];
/** A sampled parameter value. */
export type SearchValue = number | string | boolean;
