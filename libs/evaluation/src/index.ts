export { EvaluationError, EvalConfigError, EvalLeakError, EvalHealthError } from './errors.js';
export type { EvaluationErrorCode } from './errors.js';

export type { RatingsTable, UserIndex } from './protocol/ratings-table.js';
export { assertValidRatingsTable, indexByUser } from './protocol/ratings-table.js';
export type { Scenario } from './protocol/scenario.js';
export { SCENARIOS, ALL_SCENARIOS, isScenario } from './protocol/scenario.js';
export type { EvalTask, TrainingSet } from './protocol/eval-task.js';
export { trainingSetFromTasks } from './protocol/eval-task.js';
export { newItemMask, quantileSorted } from './protocol/new-item-mask.js';
export type { ColdStartSplit, ColdStartSplitOptions } from './protocol/cold-start-split.js';
export { buildColdStartSplit, DEFAULT_COLD_START_SPLIT_OPTIONS } from './protocol/cold-start-split.js';
export { sampleNegatives } from './protocol/negative-sampler.js';
export type { TrainingRows } from './protocol/leak-guard.js';
export { assertNoLeak } from './protocol/leak-guard.js';

export { meanAbsoluteError, rootMeanSquaredError } from './metrics/rating-error.js';
export { ndcgAtK, recallAtK, areaUnderRoc } from './metrics/ranking.js';
export { topK, catalogueCoverage, meanNovelty } from './metrics/catalogue.js';

export type { Recommender, RecommenderFactory, SupportSet, FitContext, FitReport } from './recommender/recommender.js';
export type { TuningCandidate } from './recommender/tuned-recommender.js';
export { TunedRecommender, innerValidationSplit, validationMae } from './recommender/tuned-recommender.js';

export type { RatingRange } from './baselines/rating-range.js';
export { ratingRange, clipRating } from './baselines/rating-range.js';
export { GlobalMeanRecommender } from './baselines/global-mean.js';
export type { ItemMeanOptions } from './baselines/item-mean.js';
export { ItemMeanRecommender, PopularityRecommender, DEFAULT_ITEM_MEAN_OPTIONS } from './baselines/item-mean.js';
export type { MatrixFactorizationOptions } from './baselines/matrix-factorization.js';
export { MatrixFactorizationRecommender, DEFAULT_MATRIX_FACTORIZATION_OPTIONS } from './baselines/matrix-factorization.js';
export { UserMeanRecommender } from './baselines/user-mean.js';
export type { DampedBiasOptions } from './baselines/damped-bias.js';
export { DampedBiasRecommender, DEFAULT_DAMPED_BIAS_OPTIONS } from './baselines/damped-bias.js';
export type { BaselineName } from './baselines/baseline-factories.js';
export { BASELINE_NAMES, ALL_BASELINE_NAMES, baselineFactory } from './baselines/baseline-factories.js';

export type { UserTaskSplit } from './held-out/user-task-split.js';
export { userTaskSplit } from './held-out/user-task-split.js';
export { adaptAndPredict, adaptedQueryPredictions, queryMae } from './held-out/adapted-query-predictions.js';
export type { AdaptedModelOptions } from './held-out/adapted-model-recommender.js';
export { AdaptedModelRecommender } from './held-out/adapted-model-recommender.js';
export type { HeldOutMetrics, HeldOutEvaluation, EvaluateHeldOutOptions } from './held-out/evaluate-held-out.js';
export { evaluateHeldOut, evaluateOnSplit, scoreHeldOut, heldOutMetrics, HELD_OUT_BASELINES, DEFAULT_HELD_OUT_K } from './held-out/evaluate-held-out.js';
export { pairedDifference } from './metrics/paired-difference.js';
export type { PairedDifference } from './metrics/paired-difference.js';
export type { TaskScores } from './runner/task-scores.js';

export type { ScenarioMetrics, MetricName, CatalogueContext } from './runner/scenario-metrics.js';
export { METRIC_NAMES, LOWER_IS_BETTER, aggregateTasks } from './runner/scenario-metrics.js';
export type { BucketResult } from './runner/breakdowns.js';
export { DEFAULT_ACTIVITY_BUCKETS, byActivity } from './runner/breakdowns.js';
export { assertHealthyLoss, assertMetricsNotSaturated } from './runner/health-guard.js';
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
export { seedStat, summarizeSeeds } from './runner/summarize.js';
export type { MethodKind, ScenarioComparison } from './runner/comparison.js';
export { compareBest } from './runner/comparison.js';
export type { EvaluationProgress, RunEvaluationOptions } from './runner/run-evaluation.js';
export { runEvaluation, DEFAULT_RUN_EVALUATION_OPTIONS } from './runner/run-evaluation.js';

export type { HtmlReportOptions } from './report/html-report.js';
export { renderHtmlReport } from './report/html-report.js';
export type { LineChartOptions, LineSeries } from './report/svg-line-chart.js';
export { svgLineChart } from './report/svg-line-chart.js';

export type { RowEncoder, DatasetRowEncoderOptions } from './neural/row-encoder.js';
export { datasetRowEncoder } from './neural/row-encoder.js';
export type { NeuralModelOptions, GlobalTrainingOptions, MetaTrainingOptions } from './neural/neural-options.js';
export { DEFAULT_NEURAL_MODEL_OPTIONS, DEFAULT_GLOBAL_TRAINING_OPTIONS, DEFAULT_META_TRAINING_OPTIONS, FINE_TUNE_LR_GRID } from './neural/neural-options.js';
export { resplitTask, allTrainingRows } from './neural/neural-training.js';
export type { AdaptationSpec } from './neural/neural-scorer.js';
export { adaptAndScore } from './neural/neural-scorer.js';
export type { GlobalNetOptions } from './neural/global-net-recommender.js';
export { GlobalNetRecommender, fitGlobalNetwork } from './neural/global-net-recommender.js';
export type { MetaRecommenderOptions } from './neural/meta-recommender.js';
export { MetaRecommender } from './neural/meta-recommender.js';
export { mergeResults } from './runner/merge-results.js';
export { GlobalNetworkCache } from './neural/global-network-cache.js';
export type { CachedNetwork } from './neural/global-network-cache.js';
