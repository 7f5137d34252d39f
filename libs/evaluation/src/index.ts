export { EvaluationError, EvalConfigError, EvalLeakError, EvalHealthError } from './errors.js';
export type { EvaluationErrorCode } from './errors.js';

export type { RatingsTable } from './protocol/ratings-table.js';
export { tableRatingScale } from './protocol/table-rating-scale.js';
export type { PositiveThreshold } from './metrics/positive-threshold.js';
export { POSITIVE_SCALE_POSITION, positiveThresholdOf, resolvePositiveThreshold } from './metrics/positive-threshold.js';
export type { Scenario } from './protocol/scenario.js';
export { ALL_SCENARIOS, isScenario } from './protocol/scenario.js';
export type { EvalTask, TrainingSet } from './protocol/eval-task.js';
export type { ColdStartSplit, ColdStartSplitOptions } from './protocol/cold-start-split.js';
export { buildColdStartSplit } from './protocol/cold-start-split.js';
export type { RoleOrigin, SuppliedRoles, SuppliedRolesSummary } from './protocol/supplied-roles.js';
export { DEFAULT_SUPPLIED_ROLES_SOURCE, summarizeSuppliedRoles } from './protocol/supplied-roles.js';
export type { TrainingRows } from './protocol/leak-guard.js';
export { assertNoLeak } from './protocol/leak-guard.js';

export type { Recommender, RecommenderFactory, SupportSet, FitContext, FitReport } from './recommender/recommender.js';

export type { DampedBiasOptions } from './baselines/damped-bias.js';
export { DampedBiasRecommender } from './baselines/damped-bias.js';
export type { BaselineName } from './baselines/baseline-factories.js';
export { BASELINE_NAMES, ALL_BASELINE_NAMES, baselineFactory } from './baselines/baseline-factories.js';

export type { UserTaskSplit } from './held-out/user-task-split.js';
export { userTaskSplit } from './held-out/user-task-split.js';
export { adaptAndPredict, adaptedQueryPredictions, queryMae } from './held-out/adapted-query-predictions.js';
export type { AdaptedModelOptions } from './held-out/adapted-model-recommender.js';
export { AdaptedModelRecommender } from './held-out/adapted-model-recommender.js';
export type { HeldOutMetrics, HeldOutEvaluation, HeldOutListSettings, HeldOutScoring, EvaluateHeldOutOptions } from './held-out/evaluate-held-out.js';
export type { HeldOutNegativeOptions } from './held-out/held-out-negatives.js';
export { DEFAULT_HELD_OUT_NEGATIVES, withHeldOutNegatives } from './held-out/held-out-negatives.js';
export { evaluateHeldOut, scoreHeldOut, heldOutMetrics, HELD_OUT_BASELINES } from './held-out/evaluate-held-out.js';
export { pairedDifference } from './metrics/paired-difference.js';
export type { PairedDifference } from './metrics/paired-difference.js';
export type { TaskScores } from './runner/task-scores.js';

export type { ScenarioMetrics, MetricName } from './runner/scenario-metrics.js';
export type { BucketResult } from './runner/breakdowns.js';
export type {
  EvaluationResults,
  SeedResult,
  SeedStat,
  MethodSeedResult,
  MethodScenarioResult,
  CurvePoint,
  SplitSize,
  MetricSummary,
} from './runner/evaluation-results.js';
export type { MethodKind, ScenarioComparison } from './runner/comparison.js';
export type { EvaluationProgress, RunEvaluationOptions } from './runner/run-evaluation.js';
export { runEvaluation } from './runner/run-evaluation.js';

export type { HtmlReportOptions } from './report/html-report.js';
export { renderHtmlReport } from './report/html-report.js';
export type { LineChartOptions, LineSeries } from './report/svg-line-chart.js';
export { svgLineChart } from './report/svg-line-chart.js';
export type { HistogramOptions } from './report/svg-histogram.js';
export { histogramBins, svgHistogram } from './report/svg-histogram.js';
export type { AxisMapping, AxisScale } from './report/chart-axis.js';
export { axisPosition } from './report/chart-axis.js';
export type { MarkerShape, SeriesStyle } from './report/series-style.js';
export { SERIES_STYLE_COUNT, seriesStyle } from './report/series-style.js';
export { escapeXml } from './report/escape-xml.js';
export type { WithoutMachinePathsOptions } from './report/machine-paths.js';
export { withoutMachinePaths } from './report/machine-paths.js';

export type { NeuralModelOptions, GlobalTrainingOptions, MetaTrainingOptions } from './neural/neural-options.js';
export type { GlobalNetOptions } from './neural/global-net-recommender.js';
export { GlobalNetRecommender } from './neural/global-net-recommender.js';
export type { MetaRecommenderOptions } from './neural/meta-recommender.js';
export { MetaRecommender } from './neural/meta-recommender.js';
export { mergeResults } from './runner/merge-results.js';
export { GlobalNetworkCache } from './neural/global-network-cache.js';
export type { CachedNetwork } from './neural/global-network-cache.js';

export type { FitListHeadOptions, FittedListHead } from './list-head/fit-list-head.js';
export { fitListHead } from './list-head/fit-list-head.js';
export { ListHeadRecommender } from './list-head/list-head-recommender.js';
export type { HybridOptions, HybridRatingModel } from './hybrid/hybrid-recommender.js';
export { HybridRecommender } from './hybrid/hybrid-recommender.js';
export type { ItemContent, ItemContentSource } from './hybrid/item-content.js';
export { itemContent } from './hybrid/item-content.js';
