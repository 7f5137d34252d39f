export { DatasetError } from './errors.js';
export type { DatasetErrorCode } from './errors.js';

export type { Vocabulary, VocabularyJson } from './encoding/vocabulary.js';
export type { NumericScaler, NumericScalerJson } from './encoding/numeric-scaler.js';
export type { YearBuckets } from './encoding/year-buckets.js';
export type { ItemFeatureSource, UserFeatureSource } from './encoding/feature-sources.js';
export type { EncodedItemTable, EncodedUserTable } from './encoding/feature-tables.js';
export { FeatureEncoder } from './encoding/feature-encoder.js';
export type { FeatureEncoderFitInput, FeatureEncoderJson, FeatureEncoderOptions } from './encoding/feature-encoder.js';
export { gatherRows } from './encoding/row-gather.js';
export type { GatherRowsInput } from './encoding/row-gather.js';

export { EVENT_TYPE_CODE, interactionRecords } from './dataset/dataset.js';
export type { Dataset, InteractionColumns } from './dataset/dataset.js';
export { STAR_RATING_SCALE, parseRatingScale, ratingScaleOf } from './dataset/rating-scale.js';
export type { RatingScale } from './dataset/rating-scale.js';

export type { ChecksumStatus } from './movielens/checksums.js';
export { importMovieLens } from './movielens/import-movielens.js';
export type { ImportMovieLensOptions, MovieLensDataset, MovieLensFormat } from './movielens/import-movielens.js';

export type { BadRow, BadRowPolicy } from './file/bad-rows.js';
export { describeBadRow } from './file/bad-rows.js';
export type { TimestampUnit } from './file/cell-values.js';
export type { RowCells, TabularFile, TabularFileOptions } from './file/tabular-file.js';
export { columnLabel, openTabularFile } from './file/tabular-file.js';
export type { RatingsFileOptions } from './file/ratings-file.js';
export { USER_ATTRIBUTES } from './file/user-features-file.js';
export type { UserAttribute, UserFeaturesFileOptions } from './file/user-features-file.js';
export type { ItemFeaturesFileOptions } from './file/item-features-file.js';
export { importRatingFiles } from './file/import-rating-files.js';
export type { FileDataset, ImportRatingFilesOptions, TimestampSource } from './file/import-rating-files.js';
export { NEW_ITEM_RULES, defaultNewItemRule, itemAppearanceMs } from './file/new-item-rule.js';
export type { NewItemRule } from './file/new-item-rule.js';

export type { TaskFilter, TaskInteractions, TaskSplit, TaskSplitOptions } from './tasks/split-user-tasks.js';
export { buildUserTasks } from './tasks/build-user-tasks.js';
export type { BuildUserTasksInput, BuiltUserTasks } from './tasks/build-user-tasks.js';
export { applyIdDropout } from './tasks/id-dropout.js';
export type { SupportSize } from './tasks/support-sizes.js';
export { firstRows, sampleSupportSize, withFirstSupport } from './tasks/support-sizes.js';
export type { IdDropoutOptions } from './tasks/id-dropout.js';
export { userSplitOf } from './tasks/held-out-split.js';
export type { HeldOutSplitOptions, UserSplit } from './tasks/held-out-split.js';

export type { SyntheticOptions } from './synthetic/synthetic-options.js';
export { generateSynthetic } from './synthetic/generate-synthetic.js';
export type { SyntheticDataset, SyntheticTruth } from './synthetic/generate-synthetic.js';

export { tableToInteractions } from './arrow/table-to-interactions.js';
export type { TableToInteractionsOptions } from './arrow/table-to-interactions.js';
