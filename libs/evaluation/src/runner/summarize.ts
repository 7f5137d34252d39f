import type { Scenario } from '../protocol/scenario.js';
import type { EvaluationResults, MetricSummary, SeedResult, SeedStat } from './evaluation-results.js';
import { METRIC_NAMES } from './scenario-metrics.js';

/** Mean and sample std (ddof 1; 0 for one value) of the non-null values. */
export function seedStat(values: ReadonlyArray<number | null | undefined>): SeedStat {
  const v = values.filter((x): x is number => typeof x === 'number' && !Number.isNaN(x));
  if (v.length === 0) {
    return { mean: null, std: null, n: 0 };
  }
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const std = v.length > 1 ? Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, std, n: v.length };
}

type Summaries = Pick<EvaluationResults, 'summary' | 'activity' | 'curve'>;

/** Reduces per-seed results to mean ± std per method × scenario, per activity bucket and per curve point. */
export function summarizeSeeds(perSeed: readonly SeedResult[], scenarios: readonly Scenario[], methods: readonly string[]): Summaries {
  const summary: Partial<Record<Scenario, Record<string, MetricSummary>>> = {};
  const activity: Summaries['activity'] = {};
  const curve: Summaries['curve'] = {};
  for (const s of scenarios) {
    const sm: Record<string, MetricSummary> = {};
    const am: Record<string, Array<{ bucket: string; users: SeedStat; mae: SeedStat }>> = {};
    const cm: Record<string, Array<{ supportSize: number; users: SeedStat; mae: SeedStat; ndcg10: SeedStat }>> = {};
    for (const m of methods) {
      const runs = perSeed.map((r) => r.methods[m]?.scenarios[s]).filter((x) => x !== undefined);
      if (runs.length === 0) {
        continue;
      }
      const entry = { users: seedStat(runs.map((r) => r.metrics.users)) } as Record<string, SeedStat>;
      for (const name of METRIC_NAMES) {
        entry[name] = seedStat(runs.map((r) => r.metrics[name]));
      }
      sm[m] = entry as MetricSummary;
      am[m] = runs[0].activity.map((b, k) => ({
        bucket: b.bucket,
        users: seedStat(runs.map((r) => r.activity[k].users)),
        mae: seedStat(runs.map((r) => r.activity[k].mae)),
      }));
      cm[m] = runs[0].curve.map((p, k) => ({
        supportSize: p.supportSize,
        users: seedStat(runs.map((r) => r.curve[k].users)),
        mae: seedStat(runs.map((r) => r.curve[k].mae)),
        ndcg10: seedStat(runs.map((r) => r.curve[k].ndcg10)),
      }));
    }
    summary[s] = sm;
    (activity as Record<string, unknown>)[s] = am;
    (curve as Record<string, unknown>)[s] = cm;
  }
  return { summary, activity, curve };
}
