import { EvalConfigError } from '../errors.js';
import { compareBest } from './comparison.js';
import type { EvaluationResults } from './evaluation-results.js';
import { summarizeSeeds } from './summarize.js';

/**
 * Merges runs of the same protocol over disjoint seeds (e.g. one process or pod per seed) into
 * one result: per-seed records concatenated, summaries and the comparison recomputed. Throws
 * `EvalConfigError` (`EVAL_CONFIG_INVALID`) when datasets, scenarios or methods differ or a seed repeats.
 */
export function mergeResults(parts: readonly EvaluationResults[]): EvaluationResults {
  if (parts.length === 0) {
    throw new EvalConfigError('EVAL_CONFIG_INVALID', 'mergeResults needs at least one result');
  }
  const [first] = parts;
  const key = (r: EvaluationResults): string => JSON.stringify([r.dataset, r.scenarios, r.methods]);
  for (const r of parts) {
    if (r.schemaVersion !== 1 || key(r) !== key(first)) {
      throw new EvalConfigError('EVAL_CONFIG_INVALID', `mergeResults: results differ in schema, dataset, scenarios or methods (${key(r)} vs ${key(first)})`);
    }
  }
  const perSeed = parts.flatMap((r) => r.perSeed).sort((a, b) => a.seed - b.seed);
  const seeds = perSeed.map((r) => r.seed);
  if (new Set(seeds).size !== seeds.length) {
    throw new EvalConfigError('EVAL_CONFIG_INVALID', `mergeResults: seed repeated in ${seeds.join(', ')}`);
  }
  const summaries = summarizeSeeds(perSeed, first.scenarios, first.methods);
  return {
    ...first,
    config: { ...first.config, mergedFrom: parts.map((r) => ({ seeds: r.seeds, createdAt: r.createdAt, command: r.config['command'] })) },
    seeds,
    perSeed,
    ...summaries,
    comparison: compareBest({ summary: summaries.summary, perSeed, scenarios: first.scenarios }, first.methodKinds),
  };
}
