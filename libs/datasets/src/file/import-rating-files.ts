import type { Dataset } from '../dataset/dataset.js';
import { EVENT_TYPE_CODE } from '../dataset/dataset.js';
import { completeProfiles } from '../dataset/profile-drafts.js';
import type { ItemDraft, UserDraft } from '../dataset/profile-drafts.js';
import type { RatingScale } from '../dataset/rating-scale.js';
import { DatasetError } from '../errors.js';
import { BadRowLog } from './bad-rows.js';
import type { BadRow, BadRowPolicy } from './bad-rows.js';
import { dropDuplicateRatings } from './duplicate-ratings.js';
import { IdIndex } from './id-index.js';
import { readItemFeaturesFile } from './item-features-file.js';
import type { ItemFeaturesFileOptions } from './item-features-file.js';
import { readRatingsFile } from './ratings-file.js';
import type { RatingsFileOptions } from './ratings-file.js';
import { seededOrderTimestamps } from './seeded-order.js';
import { readUserFeaturesFile } from './user-features-file.js';
import type { UserFeaturesFileOptions } from './user-features-file.js';

/** Options of {@link importRatingFiles}. */
export interface ImportRatingFilesOptions {
  /** The ratings file (CSV/TSV/any separator, or Arrow IPC). */
  readonly ratings: RatingsFileOptions;
  /** Optional user side-feature file; without it users have no demographics (all null). */
  readonly users?: UserFeaturesFileOptions;
  /** Optional item side-feature file; without it items have only their id (as title). */
  readonly items?: ItemFeaturesFileOptions;
  /** The rating scale; ratings outside it are bad rows. @defaultValue the smallest and largest rating in the file */
  readonly ratingScale?: RatingScale;
  /** `fail`: the first bad row throws naming file, line and column; `skip`: bad rows are left out and listed in `badRows`. @defaultValue 'fail' */
  readonly badRows?: BadRowPolicy;
  /** Seed of the rating order when the ratings have no timestamps. @defaultValue 0 */
  readonly orderSeed?: number;
}

/** Where the interaction times of a {@link FileDataset} come from. */
export type TimestampSource = { readonly kind: 'file' } | { readonly kind: 'seeded-order'; readonly seed: number };

/** A generic explicit-feedback data set: a {@link Dataset} plus what the import decided and skipped. */
export interface FileDataset extends Dataset {
  readonly ratingScale: RatingScale;
  /** `data`: the scale is the smallest and largest rating found; `option`: it was given. */
  readonly ratingScaleSource: 'data' | 'option';
  readonly timestamps: TimestampSource;
  /** Rows left out under `badRows: 'skip'`, in the order found (empty under `fail`). */
  readonly badRows: readonly BadRow[];
  /** Users / items that have ratings but no row in the side-feature file given (their features are null). */
  readonly withoutProfile: { readonly users: number; readonly items: number };
}

/**
 * Imports explicit feedback from files: a ratings file with user, item, rating and optionally
 * timestamp columns, plus optional user and item side-feature files, into the same
 * {@link Dataset} the MovieLens importer produces. Mapping:
 * - ids are the files' strings; users and items are separate id spaces; rows follow the side
 *   files' order, then first appearance in the ratings.
 * - every rating is an `Interaction` of type `rating`, value = the rating as given.
 * - without a timestamp column, times are a seeded random order ({@link seededOrderTimestamps}).
 * - `updated_at_ms`: the profile's first rating time.
 * - a (user, item) pair rated twice: the later line is a bad row.
 * @throws DatasetError `DS_FILE_MISSING`, `DS_FILE_EMPTY`, `DS_COLUMN_MISSING`, `DS_MALFORMED_HEADER`,
 *   `DS_MALFORMED_LINE` (first bad row under `fail`; naming file, line and column), `DS_INVALID_OPTION`.
 */
export async function importRatingFiles(options: ImportRatingFilesOptions): Promise<FileDataset> {
  const scale = options.ratingScale;
  if (scale !== undefined && !(Number.isFinite(scale.min) && Number.isFinite(scale.max) && scale.min < scale.max)) {
    throw new DatasetError('DS_INVALID_OPTION', `ratingScale must have finite min < max, got ${scale.min}..${scale.max}`);
  }
  const orderSeed = options.orderSeed ?? 0;
  const badRows = new BadRowLog(options.badRows ?? 'fail');
  const users = new IdIndex();
  const items = new IdIndex();
  const userDrafts = options.users === undefined ? new Map<number, UserDraft>() : await readUserFeaturesFile(options.users, users, badRows);
  const itemDrafts = options.items === undefined ? new Map<number, ItemDraft>() : await readItemFeaturesFile(options.items, items, badRows);
  const parsed = await readRatingsFile(options.ratings, users, items, scale, badRows);
  const ratings = dropDuplicateRatings(parsed, users.size, items.size, badRows);
  if (ratings.count === 0) {
    throw new DatasetError('DS_FILE_EMPTY', `${ratings.file}: no usable ratings (${badRows.rows.length} bad rows)`, { file: ratings.file });
  }
  const timestampsMs = ratings.timestampsMs ?? seededOrderTimestamps(ratings.count, orderSeed);
  const interactions = {
    count: ratings.count,
    userRows: ratings.userRows,
    itemRows: ratings.itemRows,
    eventTypes: new Uint8Array(ratings.count).fill(EVENT_TYPE_CODE.rating),
    values: ratings.values,
    timestampsMs,
  };
  const profiles = completeProfiles(
    users.ids.map((id, row) => userDrafts.get(row) ?? { user_id: id, age_bucket: null, gender: null, occupation: null, region: null }),
    items.ids.map((id, row) => itemDrafts.get(row) ?? { item_id: id, title: id, categories: [], release_year: null, numeric_attributes: {} }),
    interactions,
  );
  return {
    ...profiles,
    interactions,
    ratingScale: scale ?? ratings.observed,
    ratingScaleSource: scale === undefined ? 'data' : 'option',
    timestamps: ratings.timestampsMs === undefined ? { kind: 'seeded-order', seed: orderSeed } : { kind: 'file' },
    badRows: badRows.rows,
    withoutProfile: {
      users: options.users === undefined ? 0 : users.size - userDrafts.size,
      items: options.items === undefined ? 0 : items.size - itemDrafts.size,
    },
  };
}
