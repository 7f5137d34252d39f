import type { Scenario } from '../protocol/scenario.js';
import type { EvaluationResults, SeedStat } from './evaluation-results.js';
import type { MetricName } from './scenario-metrics.js';
import { LOWER_IS_BETTER } from './scenario-metrics.js';
import { seedStat } from './summarize.js';

/** Kind of a method: the meta-learners are compared against the best of the rest. */
export type MethodKind = 'baseline' | 'meta-learner';

/** Metrics the comparison is made on: rating error and the list (where popularity is a baseline too). */
export type ComparedMetric = Extract<MetricName, 'mae' | 'ndcg10' | 'recall10'>;

/** The compared metrics, in report order. */
export const COMPARED_METRICS: readonly ComparedMetric[] = ['mae', 'ndcg10', 'recall10'];

/** Best meta-learner vs best baseline (by the metric's mean over seeds) on one scenario. */
export interface ScenarioComparison {
  readonly scenario: Scenario;
  readonly metric: ComparedMetric;
  readonly bestMetaLearner: string;
  readonly bestBaseline: string;
  readonly metaLearner: SeedStat;
  readonly baseline: SeedStat;
  /** Per-seed relative difference to the baseline in percent, signed so that positive = the meta-learner is better. */
  readonly gainPct: SeedStat;
}

function bestBy(results: Pick<EvaluationResults, 'summary'>, scenario: Scenario, metric: ComparedMetric, names: readonly string[]): string | undefined {
  const sign = LOWER_IS_BETTER.has(metric) ? 1 : -1;
  let best: string | undefined;
  let value = Number.POSITIVE_INFINITY;
  for (const n of names) {
    const v = results.summary[scenario]?.[n]?.[metric].mean;
    if (v !== null && v !== undefined && sign * v < value) {
      value = sign * v;
      best = n;
    }
  }
  return best;
}

/**
 * For each scenario and compared metric, picks the meta-learner and the baseline with the best
 * mean and reports both and their paired per-seed relative difference. Ranking-only baselines
 * (popularity) take part in the ranking metrics. Empty when either kind is absent.
 */
export function compareBest(results: Pick<EvaluationResults, 'summary' | 'perSeed' | 'scenarios'>, kinds: Readonly<Record<string, MethodKind>>): ScenarioComparison[] {
  const metas = Object.keys(kinds).filter((m) => kinds[m] === 'meta-learner');
  const bases = Object.keys(kinds).filter((m) => kinds[m] === 'baseline');
  const out: ScenarioComparison[] = [];
  for (const metric of COMPARED_METRICS) {
    const sign = LOWER_IS_BETTER.has(metric) ? 1 : -1;
    for (const s of results.scenarios) {
      const meta = bestBy(results, s, metric, metas);
      const base = bestBy(results, s, metric, bases);
      if (!meta || !base) {
        continue;
      }
      const valueOf = (r: EvaluationResults['perSeed'][number], n: string): number | null | undefined => r.methods[n]?.scenarios[s]?.metrics[metric];
      const perSeed = results.perSeed.map((r) => {
        const m = valueOf(r, meta);
        const b = valueOf(r, base);
        return m === null || m === undefined || b === null || b === undefined || b === 0 ? null : (sign * 100 * (b - m)) / b;
      });
      const stat = (n: string): SeedStat => seedStat(results.perSeed.map((r) => valueOf(r, n)));
      out.push({ scenario: s, metric, bestMetaLearner: meta, bestBaseline: base, metaLearner: stat(meta), baseline: stat(base), gainPct: seedStat(perSeed) });
    }
  }
  return out;
}
