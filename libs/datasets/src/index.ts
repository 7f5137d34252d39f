export { DatasetError } from './errors.js';
export type { DatasetErrorCode } from './errors.js';

export { UNKNOWN_INDEX, Vocabulary } from './encoding/vocabulary.js';
export type { VocabularyJson } from './encoding/vocabulary.js';
export { NumericScaler } from './encoding/numeric-scaler.js';
export type { NumericScalerJson } from './encoding/numeric-scaler.js';
export { DEFAULT_YEAR_BUCKET_WIDTH, deriveYearBuckets, yearBucketIndex } from './encoding/year-buckets.js';
export type { YearBuckets } from './encoding/year-buckets.js';
export type { ItemFeatureSource, UserFeatureSource } from './encoding/feature-sources.js';
export type { EncodedItemTable, EncodedUserTable } from './encoding/feature-tables.js';
export { DEFAULT_FEATURE_ENCODER_OPTIONS, FEATURE_ENCODER_JSON_VERSION, FeatureEncoder } from './encoding/feature-encoder.js';
export type { FeatureEncoderFitInput, FeatureEncoderJson, FeatureEncoderOptions } from './encoding/feature-encoder.js';
export { MISSING_ROW, candidateRows, gatherRows } from './encoding/row-gather.js';
export type { GatherRowsInput } from './encoding/row-gather.js';

export { EVENT_TYPES, EVENT_TYPE_CODE, interactionRecords } from './dataset/dataset.js';
export type { Dataset, InteractionColumns } from './dataset/dataset.js';

export { CHECKSUM_FILE, verifySha256Sums } from './movielens/checksums.js';
export type { ChecksumStatus } from './movielens/checksums.js';
export { DEFAULT_IMPORT_MOVIELENS_OPTIONS, importMovieLens } from './movielens/import-movielens.js';
export type { ImportMovieLensOptions, MovieLensDataset, MovieLensFormat } from './movielens/import-movielens.js';
export { ML_100K_GENRES, ML_1M_OCCUPATIONS, MOVIELENS_AGE_BUCKETS, NON_US_REGION, ageBucketOf, regionOf } from './movielens/movielens-features.js';


export { DEFAULT_TASK_SPLIT_OPTIONS, splitUserTasks } from './tasks/split-user-tasks.js';
export type { TaskFilter, TaskInteractions, TaskSplit, TaskSplitOptions } from './tasks/split-user-tasks.js';
export { buildUserTasks, encodeInteractions } from './tasks/build-user-tasks.js';
export type { BuildUserTasksInput, BuiltUserTasks } from './tasks/build-user-tasks.js';
export { applyIdDropout, DEFAULT_ID_DROPOUT_OPTIONS } from './tasks/id-dropout.js';
export type { SupportSize } from './tasks/support-sizes.js';
export { firstRows, sampleSupportSize, withFirstSupport } from './tasks/support-sizes.js';
export type { IdDropoutOptions } from './tasks/id-dropout.js';
export { userSplitOf } from './tasks/held-out-split.js';
export type { HeldOutSplitOptions, UserSplit } from './tasks/held-out-split.js';

export { DEFAULT_SYNTHETIC_OPTIONS } from './synthetic/synthetic-options.js';
export type { SyntheticOptions } from './synthetic/synthetic-options.js';
export { generateSynthetic, trueScore } from './synthetic/generate-synthetic.js';
export type { SyntheticDataset, SyntheticTruth } from './synthetic/generate-synthetic.js';
export { SYNTHETIC_CATEGORIES, SYNTHETIC_NUMERIC_ATTRIBUTES } from './synthetic/synthetic-vocabulary.js';

export { interactionsToTable } from './arrow/interactions-to-table.js';
export { tableToInteractions } from './arrow/table-to-interactions.js';
export type { TableToInteractionsOptions } from './arrow/table-to-interactions.js';
export { datasetToIpcFiles, datasetToTables } from './arrow/dataset-tables.js';
export type { DatasetTables, DatasetToTablesOptions } from './arrow/dataset-tables.js';
export { DEFAULT_IMPLICIT_FEEDBACK_OPTIONS, implicitFeedbackPairs } from './dataset/implicit-feedback.js';
export type { FeedbackPairs, ImplicitFeedbackOptions } from './dataset/implicit-feedback.js';
