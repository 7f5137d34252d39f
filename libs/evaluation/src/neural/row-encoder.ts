import type { Dataset } from '@metarec/datasets';
import { FeatureEncoder, gatherRows } from '@metarec/datasets';
import type { EncodedRows, FeatureLayout } from '@metarec/schemas';

import type { TrainingRows } from '../protocol/leak-guard.js';

/** Turns (user index, item indices) of a {@link RatingsTable} into model rows. */
export interface RowEncoder {
  readonly layout: FeatureLayout;
  /** One row per item, the user's fields repeated; labels default to zeros (scoring). */
  rows(user: number, items: Int32Array, labels?: Float32Array): EncodedRows;
  /** One row per (users[k], items[k]) pair. */
  batch(users: Int32Array, items: Int32Array, labels?: Float32Array): EncodedRows;
}

/** Options of {@link datasetRowEncoder}. */
export interface DatasetRowEncoderOptions {
  /** Give items seen in training an id embedding (new items map to 0). MeLU: none. @defaultValue false */
  readonly includeItemId?: boolean;
  /** Give users seen in training an id embedding (new users map to 0). MeLU: none. @defaultValue false */
  readonly includeUserId?: boolean;
}

/**
 * A {@link RowEncoder} over a {@link Dataset} whose user/item rows are the table's indices
 * (as `ratingsTableFromDataset` builds it). Ids get vocabulary entries only for users/items in
 * `training`, so held-out users and new items stay unknown — fit per split.
 */
export function datasetRowEncoder(dataset: Dataset, training: TrainingRows, options: DatasetRowEncoderOptions = {}): RowEncoder {
  const includeItemId = options.includeItemId ?? false;
  const includeUserId = options.includeUserId ?? false;
  const encoder = FeatureEncoder.fit(
    {
      users: dataset.users,
      items: dataset.items,
      trainingUserIds: includeUserId ? new Set(Array.from(new Set(training.users), (u) => dataset.users[u].user_id)) : [],
      trainingItemIds: includeItemId ? new Set(Array.from(new Set(training.items), (i) => dataset.items[i].item_id)) : [],
    },
    { includeItemId, includeUserId },
  );
  const users = encoder.encodeUsers(dataset.users);
  const items = encoder.encodeItems(dataset.items);
  return {
    layout: encoder.layout(),
    rows: (user, itemRows, labels) => gatherRows({ users, items, userRows: new Int32Array(itemRows.length).fill(user), itemRows, labels }),
    batch: (userRows, itemRows, labels) => gatherRows({ users, items, userRows, itemRows, labels }),
  };
}
