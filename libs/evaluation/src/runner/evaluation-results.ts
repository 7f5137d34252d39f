import type { FitReport } from '../recommender/recommender.js';
import type { Scenario } from '../protocol/scenario.js';
import type { BucketResult } from './breakdowns.js';
import type { MethodKind, ScenarioComparison } from './comparison.js';
import type { MetricName, ScenarioMetrics } from './scenario-metrics.js';

/** One point of the cold-start curve on one seed: support truncated to `supportSize` items. */
export interface CurvePoint {
  readonly supportSize: number;
  readonly users: number;
  readonly mae: number | null;
  readonly ndcg10: number | null;
}

/** A method's results on one scenario and seed. */
export interface MethodScenarioResult {
  readonly metrics: ScenarioMetrics;
  readonly activity: readonly BucketResult[];
  readonly curve: readonly CurvePoint[];
  readonly scoreMs: number;
}

/** A method's results on one seed. */
export interface MethodSeedResult {
  readonly fit: FitReport & { readonly fitMs: number };
  readonly scenarios: Partial<Record<Scenario, MethodScenarioResult>>;
}

/** Split sizes of one scenario. */
export interface SplitSize {
  readonly tasks: number;
  readonly supportRatings: number;
  readonly queryRatings: number;
}

/** Everything measured on one seed. */
export interface SeedResult {
  readonly seed: number;
  readonly testUsers: number;
  readonly newItems: number;
  readonly newItemCutoff: string;
  readonly trainingRatings: number;
  readonly split: Readonly<Record<Scenario, SplitSize>>;
  readonly methods: Readonly<Record<string, MethodSeedResult>>;
}

/** Mean and sample standard deviation (ddof 1) over seeds; null when no seed had a value. */
export interface SeedStat {
  readonly mean: number | null;
  readonly std: number | null;
  /** Seeds that contributed. */
  readonly n: number;
}

/** Summary of one method on one scenario. */
export type MetricSummary = Readonly<Record<MetricName | 'users', SeedStat>>;

/** The typed result of {@link runEvaluation}; serialised as `results.json`. */
export interface EvaluationResults {
  readonly schemaVersion: 1;
  readonly createdAt: string;
  readonly dataset: { readonly name: string; readonly users: number; readonly items: number; readonly ratings: number };
  readonly config: Readonly<Record<string, unknown>>;
  readonly seeds: readonly number[];
  readonly scenarios: readonly Scenario[];
  readonly methods: readonly string[];
  readonly methodKinds: Readonly<Record<string, MethodKind>>;
  /** Best meta-learner vs best baseline per scenario (MAE, paired per seed). */
  readonly comparison: readonly ScenarioComparison[];
  readonly perSeed: readonly SeedResult[];
  readonly summary: Readonly<Partial<Record<Scenario, Readonly<Record<string, MetricSummary>>>>>;
  readonly activity: Readonly<Partial<Record<Scenario, Readonly<Record<string, ReadonlyArray<{ bucket: string; users: SeedStat; mae: SeedStat }>>>>>>;
  readonly curve: Readonly<Partial<Record<Scenario, Readonly<Record<string, ReadonlyArray<{ supportSize: number; users: SeedStat; mae: SeedStat; ndcg10: SeedStat }>>>>>>;
}
