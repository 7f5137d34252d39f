import { EvalConfigError } from '../errors.js';
import { resolvePositiveThreshold } from '../metrics/positive-threshold.js';
import type { ColdStartSplit, ColdStartSplitOptions } from '../protocol/cold-start-split.js';
import { buildColdStartSplit } from '../protocol/cold-start-split.js';
import type { EvalTask } from '../protocol/eval-task.js';
import { assertNoLeak } from '../protocol/leak-guard.js';
import type { RatingsTable } from '../protocol/ratings-table.js';
import { assertValidRatingsTable } from '../protocol/ratings-table.js';
import { summarizeSuppliedRoles } from '../protocol/supplied-roles.js';
import type { Scenario } from '../protocol/scenario.js';
import { ALL_SCENARIOS, SCENARIOS } from '../protocol/scenario.js';
import { tableRatingScale } from '../protocol/table-rating-scale.js';
import type { Recommender, RecommenderFactory } from '../recommender/recommender.js';
import { byActivity } from './breakdowns.js';
import type { MethodKind } from './comparison.js';
import { compareBest } from './comparison.js';
import type { CurvePoint, EvaluationResults, MethodScenarioResult, MethodSeedResult, SeedResult } from './evaluation-results.js';
import { assertHealthyLoss, assertMetricsNotSaturated } from './health-guard.js';
import { aggregateTasks } from './scenario-metrics.js';
import { summarizeSeeds } from './summarize.js';
import type { TaskMetricOptions, TaskScores } from './task-scores.js';
import { scoreTask } from './task-scores.js';

/** Progress of a run: `done` of `total` units (one unit = fitting one method or scoring one scenario). */
export interface EvaluationProgress {
  readonly done: number;
  readonly total: number;
  readonly seed: number;
  readonly method: string;
  readonly phase: 'fit' | 'score';
  readonly scenario?: Scenario;
  /** Fraction of the current unit, when the method reports it. */
  readonly unitFraction?: number;
}

/** Options of {@link runEvaluation}. */
export interface RunEvaluationOptions {
  readonly table: RatingsTable;
  readonly datasetName: string;
  readonly methods: readonly RecommenderFactory[];
  /** @defaultValue all four */
  readonly scenarios?: readonly Scenario[];
  /** @defaultValue [0, 1, 2, 3, 4] */
  readonly seeds?: readonly number[];
  readonly split?: ColdStartSplitOptions;
  /** Support sizes of the cold-start curve; its users are those with at least max(sizes) support items. @defaultValue [0, 1, 2, 5, 10, 20] */
  readonly supportSizes?: readonly number[];
  /** Scenarios that get the cold-start curve (it costs one adaptation per user and support size). @defaultValue all of `scenarios` */
  readonly curveScenarios?: readonly Scenario[];
  /**
   * A query rating at or above this is a positive of nDCG@10, recall@10 and AUC; must lie in
   * the rating scale. @defaultValue min + 0.75 · (max − min) of the table's scale (4 on 1–5)
   */
  readonly positiveThreshold?: number;
  /** Top-10 lists over each scenario's catalogue for coverage and novelty. @defaultValue true */
  readonly catalogueMetrics?: boolean;
  /** Free-form config recorded in the results (CLI flags, commit). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** ISO time recorded as `createdAt` (the caller's clock). @defaultValue new Date().toISOString() */
  readonly createdAt?: string;
  readonly onProgress?: (p: EvaluationProgress) => void;
  /** Wall-clock source for timings, injectable for tests. @defaultValue performance.now */
  readonly nowMs?: () => number;
}

/** Defaults of {@link RunEvaluationOptions}. */
export const DEFAULT_RUN_EVALUATION_OPTIONS = {
  scenarios: ALL_SCENARIOS,
  seeds: [0, 1, 2, 3, 4],
  supportSizes: [0, 1, 2, 5, 10, 20],
  catalogueMetrics: true,
} as const;

/** Cut-off of nDCG/recall over query positives + sampled negatives (`ndcg10`, `recall10`; the held-out evaluation uses it too). */
export const RANK_CUTOFF = 10;
const QUERY_NDCG_CUTOFF = 3; // MeLU reports nDCG@3 within the 10 query items.

/**
 * Runs MeLU's cold-start protocol: for each seed, builds the split, asserts no leak, fits every
 * method on the training set, scores every scenario (metrics, activity buckets, cold-start
 * curve), guards training health, and reduces to mean ± std over seeds. Every method's rating
 * predictions are clipped to the table's rating scale before MAE/RMSE (here, not per method),
 * which are also reported divided by the scale's range (`nmae`, `nrmse`); the ranking positive
 * threshold follows the scale unless given. Throws `EvalConfigError`, `EvalLeakError` or
 * `EvalHealthError`.
 */
export async function runEvaluation(options: RunEvaluationOptions): Promise<EvaluationResults> {
  const o = { ...DEFAULT_RUN_EVALUATION_OPTIONS, ...options };
  validate(o);
  assertValidRatingsTable(o.table);
  const now = o.nowMs ?? ((): number => performance.now());
  const ratingScale = tableRatingScale(o.table);
  const threshold = resolvePositiveThreshold(ratingScale, o.positiveThreshold);
  const metricOptions: TaskMetricOptions = { positiveThreshold: threshold.value, rankCutoff: RANK_CUTOFF, queryNdcgCutoff: QUERY_NDCG_CUTOFF, ratingScale };
  const total = o.seeds.length * o.methods.length * (1 + o.scenarios.length);
  let done = 0;
  const perSeed: SeedResult[] = [];
  for (const seed of o.seeds) {
    const split = buildColdStartSplit(o.table, seed, o.split);
    assertNoLeak(split.training, o.scenarios.flatMap((s) => split.scenarios[s]));
    const raters = new Float64Array(o.table.itemCount);
    for (const item of split.training.items) {
      raters[item]++;
    }
    const trainingUsers = new Set(split.training.users).size;
    const methods: Record<string, MethodSeedResult> = {};
    for (const factory of o.methods) {
      const rec = factory.create(seed);
      try {
        const report = (p: Omit<EvaluationProgress, 'done' | 'total' | 'seed' | 'method'>): void =>
          o.onProgress?.({ done, total, seed, method: rec.name, ...p });
        report({ phase: 'fit' });
        const t0 = now();
        const fit = await rec.fit(split.training, { seed, onProgress: (f) => report({ phase: 'fit', unitFraction: f }) });
        const fitMs = now() - t0;
        assertHealthyLoss(rec.name, fit.losses);
        done++;
        await yieldToEventLoop();
        const scenarios: Partial<Record<Scenario, MethodScenarioResult>> = {};
        for (const scenario of o.scenarios) {
          report({ phase: 'score', scenario });
          const t1 = now();
          const catalogue = o.catalogueMetrics ? { pool: SCENARIOS[scenario].coldItem ? split.itemPools.new : split.itemPools.existing, raters, trainingUsers } : undefined;
          scenarios[scenario] = await scoreScenario(rec, split, scenario, metricOptions, (o.curveScenarios ?? o.scenarios).includes(scenario) ? o.supportSizes : [], catalogue);
          scenarios[scenario] = { ...scenarios[scenario], scoreMs: now() - t1 };
          done++;
          await yieldToEventLoop();
        }
        methods[rec.name] = { fit: { ...fit, fitMs }, scenarios };
      } finally {
        rec.dispose?.();
      }
    }
    perSeed.push(seedResult(split, methods));
  }
  const methodNames = Object.keys(perSeed[0].methods);
  const methodKinds = Object.fromEntries(o.methods.map((m, k) => [methodNames[k] ?? m.name, m.kind ?? 'baseline'])) as Record<string, MethodKind>;
  const summaries = summarizeSeeds(perSeed, o.scenarios, methodNames);
  return {
    schemaVersion: 1,
    createdAt: o.createdAt ?? new Date().toISOString(),
    dataset: { name: o.datasetName, users: o.table.userCount, items: o.table.itemCount, ratings: o.table.users.length },
    config: {
      split: recordedSplitOptions(o.split),
      supportSizes: o.supportSizes,
      curveScenarios: o.curveScenarios ?? o.scenarios,
      ratingScale,
      ratingScaleSource: o.table.ratingScale === undefined ? 'observed' : 'recorded',
      positiveThreshold: threshold.value,
      positiveThresholdSource: threshold.source,
      predictionClip: `rating predictions clipped to [${ratingScale.min}, ${ratingScale.max}] before MAE/RMSE`,
      rankCutoff: RANK_CUTOFF,
      queryNdcgCutoff: QUERY_NDCG_CUTOFF,
      ...o.config,
    },
    seeds: o.seeds,
    scenarios: o.scenarios,
    methods: methodNames,
    methodKinds,
    comparison: compareBest({ summary: summaries.summary, perSeed, scenarios: o.scenarios }, methodKinds),
    perSeed,
    ...summaries,
  };
}

/** Lets timers and signal handlers run between long synchronous units (training and scoring are CPU-bound). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function validate(o: { seeds: readonly number[]; methods: readonly RecommenderFactory[]; scenarios: readonly Scenario[]; supportSizes: readonly number[] }): void {
  if (o.seeds.length === 0 || o.methods.length === 0 || o.scenarios.length === 0) {
    throw new EvalConfigError('EVAL_CONFIG_INVALID', `runEvaluation needs at least one seed, method and scenario (got ${o.seeds.length}, ${o.methods.length}, ${o.scenarios.length})`);
  }
  const names = o.methods.map((m) => m.name);
  if (new Set(names).size !== names.length) {
    throw new EvalConfigError('EVAL_CONFIG_INVALID', `runEvaluation methods have duplicate names: ${names.join(', ')}`);
  }
  if (o.supportSizes.some((k) => !Number.isInteger(k) || k < 0)) {
    throw new EvalConfigError('EVAL_CONFIG_INVALID', `supportSizes must be non-negative integers: ${o.supportSizes.join(', ')}`);
  }
}

async function scoreScenario(
  rec: Recommender,
  split: ColdStartSplit,
  scenario: Scenario,
  metricOptions: TaskMetricOptions,
  supportSizes: readonly number[],
  catalogue?: { pool: Int32Array; raters: Float64Array; trainingUsers: number },
): Promise<MethodScenarioResult> {
  const tasks = split.scenarios[scenario];
  const exclude = new Uint8Array(split.isNewItem.length);
  const scores: TaskScores[] = [];
  for (const t of tasks) {
    scores.push(await scoreTask(rec, t, { items: t.supportItems, ratings: t.supportRatings }, metricOptions, catalogue?.pool, exclude));
  }
  const metrics = aggregateTasks(scores, rec.predictsRatings, catalogue && { poolSize: catalogue.pool.length, raters: catalogue.raters, trainingUsers: catalogue.trainingUsers }, metricOptions.ratingScale);
  assertMetricsNotSaturated(rec.name, scenario, metrics);
  return { metrics, activity: byActivity(scores, rec.predictsRatings), curve: await coldStartCurve(rec, tasks, metricOptions, supportSizes), scoreMs: 0 };
}

/** Same users at every point (support ≥ max size), support truncated to its first k (random-order) items. */
async function coldStartCurve(rec: Recommender, tasks: readonly EvalTask[], metricOptions: TaskMetricOptions, sizes: readonly number[]): Promise<CurvePoint[]> {
  const need = Math.max(0, ...sizes);
  const users = tasks.filter((t) => t.supportItems.length >= need);
  const points: CurvePoint[] = [];
  for (const k of sizes) {
    const scores: TaskScores[] = [];
    for (const t of users) {
      scores.push(await scoreTask(rec, t, { items: t.supportItems.subarray(0, k), ratings: t.supportRatings.subarray(0, k) }, metricOptions));
    }
    const m = aggregateTasks(scores, rec.predictsRatings);
    points.push({ supportSize: k, users: users.length, mae: m.mae, ndcg10: m.ndcg10 });
  }
  return points;
}

/** The split options as results record them: supplied roles by source and counts, not one flag per user and item. */
function recordedSplitOptions(split: ColdStartSplitOptions | undefined): Readonly<Record<string, unknown>> {
  const { roles, ...rest } = split ?? {};
  return roles === undefined ? rest : { ...rest, roles: summarizeSuppliedRoles(roles) };
}

function seedResult(split: ColdStartSplit, methods: Record<string, MethodSeedResult>): SeedResult {
  const size = (s: Scenario): { tasks: number; supportRatings: number; queryRatings: number } => ({
    tasks: split.scenarios[s].length,
    supportRatings: split.scenarios[s].reduce((n, t) => n + t.supportItems.length, 0),
    queryRatings: split.scenarios[s].reduce((n, t) => n + t.queryItems.length, 0),
  });
  return {
    seed: split.seed,
    testUsers: split.isTestUser.reduce((n, f) => n + f, 0),
    newItems: split.itemPools.new.length,
    newItemCutoff: newItemCutoffLabel(split),
    trainingRatings: split.training.users.length,
    split: { warm: size('warm'), new_user: size('new_user'), new_item: size('new_item'), new_user_new_item: size('new_user_new_item') },
    methods,
  };
}

/** The release-date cut as a day, `none`, or where the new items were supplied from. */
function newItemCutoffLabel(split: ColdStartSplit): string {
  if (split.roleOrigins.items.kind === 'supplied') {
    return `supplied: ${split.roleOrigins.items.source}`;
  }
  return Number.isFinite(split.newItemCutoffMs) ? new Date(split.newItemCutoffMs).toISOString().slice(0, 10) : 'none';
}
