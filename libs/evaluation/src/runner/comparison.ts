import type { Scenario } from '../protocol/scenario.js';
import type { EvaluationResults, SeedStat } from './evaluation-results.js';
import { seedStat } from './summarize.js';

/** Kind of a method: the meta-learners are compared against the best of the rest. */
export type MethodKind = 'baseline' | 'meta-learner';

/** Best meta-learner vs best baseline (by mean MAE over seeds) on one scenario. */
export interface ScenarioComparison {
  readonly scenario: Scenario;
  readonly bestMetaLearner: string;
  readonly bestBaseline: string;
  readonly metaLearnerMae: SeedStat;
  readonly baselineMae: SeedStat;
  /** Per-seed (baseline − meta) / baseline in percent: positive = the meta-learner is better. */
  readonly maeGainPct: SeedStat;
}

function bestBy(results: Pick<EvaluationResults, 'summary'>, scenario: Scenario, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let value = Number.POSITIVE_INFINITY;
  for (const n of names) {
    const v = results.summary[scenario]?.[n]?.mae.mean;
    if (v !== null && v !== undefined && v < value) {
      value = v;
      best = n;
    }
  }
  return best;
}

/**
 * For each scenario, picks the meta-learner and the baseline with the lowest mean MAE and
 * reports both and their paired per-seed relative difference. Empty when either kind is absent.
 */
export function compareBest(results: Pick<EvaluationResults, 'summary' | 'perSeed' | 'scenarios'>, kinds: Readonly<Record<string, MethodKind>>): ScenarioComparison[] {
  const metas = Object.keys(kinds).filter((m) => kinds[m] === 'meta-learner');
  const bases = Object.keys(kinds).filter((m) => kinds[m] === 'baseline');
  const out: ScenarioComparison[] = [];
  for (const s of results.scenarios) {
    const meta = bestBy(results, s, metas);
    const base = bestBy(results, s, bases);
    if (!meta || !base) {
      continue;
    }
    const perSeed = results.perSeed.map((r) => {
      const m = r.methods[meta]?.scenarios[s]?.metrics.mae;
      const b = r.methods[base]?.scenarios[s]?.metrics.mae;
      return m === null || m === undefined || b === null || b === undefined ? null : (100 * (b - m)) / b;
    });
    const stat = (n: string): SeedStat => seedStat(results.perSeed.map((r) => r.methods[n]?.scenarios[s]?.metrics.mae));
    out.push({ scenario: s, bestMetaLearner: meta, bestBaseline: base, metaLearnerMae: stat(meta), baselineMae: stat(base), maeGainPct: seedStat(perSeed) });
  }
  return out;
}
