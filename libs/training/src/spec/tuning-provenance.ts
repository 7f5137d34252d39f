import { z } from 'zod';

const searchValue = z.union([z.number(), z.string(), z.boolean()]);

/** Most trial rows a tuned spec carries (the registry stores the spec with every version); the rest are in `tuning.json`. */
export const MAX_PROVENANCE_TRIALS = 100;

/**
 * Where a tuned spec came from (`trainer tune --write-spec` fills it): the search's table, so the
 * lineage of every run of the spec, and the registry version it becomes, shows how it was chosen.
 * Provenance only: left out of the spec hash, no effect on training.
 */
export const tuningProvenanceSchema = z.object({
  tuneId: z.string().min(1),
  objective: z.string().min(1),
  folds: z.number().int().positive(),
  eta: z.number().int().positive(),
  /** Rung budgets, meta-steps. */
  rungs: z.array(z.number().int().positive()),
  best: z.object({ trial: z.number().int().nonnegative(), metric: z.number(), rung: z.number().int().nonnegative(), steps: z.number().int().positive(), params: z.record(z.string(), searchValue) }),
  /** Trial rows, best first (at most {@link MAX_PROVENANCE_TRIALS}). */
  trials: z
    .array(z.object({ trial: z.number().int().nonnegative(), params: z.record(z.string(), searchValue), seed: z.number().int(), metrics: z.array(z.number().nullable()), status: z.string() }))
    .max(MAX_PROVENANCE_TRIALS),
  /** Trials left out of `trials`. */
  trialsOmitted: z.number().int().nonnegative().default(0),
  /** The search's `tuning.json` (on the machine that ran it). */
  resultsPath: z.string(),
});

/** A tuned spec's provenance. */
export type TuningProvenance = z.output<typeof tuningProvenanceSchema>;
