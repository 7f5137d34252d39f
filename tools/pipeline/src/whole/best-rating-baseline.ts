import type { TrainerRunSummary } from './stack.js';

/**
 * The baseline with the lowest held-out MAE among the trainer's printed baselines and `extra`
 * (the pipeline's own, e.g. bias). Ranking-only baselines (popularity: MAE printed as null) are
 * skipped: a null would sort as 0 and win. Undefined when no baseline has an MAE.
 */
export function bestRatingBaseline(
  evaluation: NonNullable<TrainerRunSummary['evaluation']>,
  extra: Readonly<Record<string, number>>,
): { readonly name: string; readonly mae: number } | undefined {
  const candidates = [...Object.entries(evaluation.baselines).map(([name, m]) => [name, m.mae] as const), ...Object.entries(extra)];
  let best: { name: string; mae: number } | undefined;
  for (const [name, mae] of candidates) {
    if (typeof mae === 'number' && Number.isFinite(mae) && (best === undefined || mae < best.mae)) {
      best = { name, mae };
    }
  }
  return best;
}
