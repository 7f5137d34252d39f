import { z } from 'zod';

import type { BundleLineage } from './bundle-manifest.js';

const searchValue = z.union([z.number(), z.string(), z.boolean()]);

/**
 * The `tuning` block a trainer writes into a tuned run spec (`trainer tune --write-spec`), as the
 * registry reads it from a version's `lineage.trainingSpec`: the search that chose the spec's
 * values, its best trial and its trial rows (best first). The registry does not own the spec's
 * format; it reads this block only to show it.
 */
export const tuningSummarySchema = z.object({
  tuneId: z.string(),
  objective: z.string(),
  folds: z.number(),
  eta: z.number(),
  /** Rung budgets, meta-steps. */
  rungs: z.array(z.number()),
  best: z.object({ trial: z.number(), metric: z.number(), rung: z.number(), steps: z.number(), params: z.record(z.string(), searchValue) }),
  trials: z.array(z.object({ trial: z.number(), params: z.record(z.string(), searchValue), seed: z.number(), metrics: z.array(z.number().nullable()), status: z.string() })),
  trialsOmitted: z.number().default(0),
  resultsPath: z.string().optional(),
});

/** How a version's training spec was tuned. */
export type TuningSummary = z.output<typeof tuningSummarySchema>;

/**
 * The tuning summary of a version's lineage: null when its training spec has no `tuning` block, or
 * one this registry cannot read (the raw spec still holds it; the version view just shows none).
 */
export function tuningSummaryOf(lineage: BundleLineage): TuningSummary | null {
  const raw = lineage.trainingSpec['tuning'];
  if (raw === undefined) {
    return null;
  }
  const parsed = tuningSummarySchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/**
 * The summary as table rows, best first: trial, each parameter, the objective at each rung
 * (`objective@steps`; null = not reached or diverged), status.
 */
export function tuningRows(summary: TuningSummary): Array<Record<string, string | number | boolean | null>> {
  const names = [...new Set(summary.trials.flatMap((t) => Object.keys(t.params)))];
  return summary.trials.map((t) => ({
    trial: t.trial,
    ...Object.fromEntries(names.map((n) => [n, t.params[n] ?? null])),
    ...Object.fromEntries(summary.rungs.map((steps, r) => [`${summary.objective}@${steps}`, t.metrics[r] ?? null])),
    status: t.status,
  }));
}
