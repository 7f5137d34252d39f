import type { EncodedRows, UserTask } from '@metarec/schemas';

import { EvalConfigError } from '../errors.js';

/** The vocabulary's "unknown" index (datasets' `UNKNOWN_INDEX`): what id dropout writes over a training row's id. */
const UNKNOWN_INDEX = 0;

/** Per-row widths of the encoded arrays (the feature layout, as the rows carry it). */
interface RowWidths {
  readonly user: number;
  readonly item: number;
  readonly categories: number;
  readonly numeric: number;
}

/**
 * The encoded item features of every item of a run's tasks, by the dense item index of
 * `UserTaskSplit.itemIds`, so a model can score items a user never rated (sampled negatives)
 * with that user's own features.
 */
export interface ItemFeatureRows {
  readonly itemIds: readonly string[];
  readonly widths: RowWidths;
  /** `itemIds.length × widths.item` vocabulary indices. */
  readonly itemIndices: Int32Array;
  readonly itemCategories: Float32Array;
  readonly itemNumeric: Float32Array;
}

function widthsOf(tasks: readonly UserTask[]): RowWidths {
  for (const t of tasks) {
    for (const rows of [t.support, t.query]) {
      if (rows.count > 0) {
        const per = (a: { readonly length: number }): number => a.length / rows.count;
        return { user: per(rows.userIndices), item: per(rows.itemIndices), categories: per(rows.itemCategories), numeric: per(rows.itemNumeric) };
      }
    }
  }
  return { user: 0, item: 0, categories: 0, numeric: 0 };
}

/**
 * Collects each item's encoded features from the rows it appears in. An item's features are the
 * same in every row, except that id dropout may have replaced a training row's id by the unknown
 * index: each categorical field keeps the first known (non-zero) index any row has for the item
 * (held-out rows are never dropped), so the catalogue has the item's true encoding whenever one
 * row does.
 */
export function itemFeatureRows(tasks: readonly UserTask[], itemIds: readonly string[]): ItemFeatureRows {
  const widths = widthsOf(tasks);
  const indexOf = new Map(itemIds.map((id, i) => [id, i]));
  const n = itemIds.length;
  const itemIndices = new Int32Array(n * widths.item);
  const itemCategories = new Float32Array(n * widths.categories);
  const itemNumeric = new Float32Array(n * widths.numeric);
  const seen = new Uint8Array(n);
  for (const t of tasks) {
    for (const rows of [t.support, t.query]) {
      for (let r = 0; r < rows.count; r++) {
        const i = indexOf.get(rows.itemIds[r]);
        if (i === undefined) {
          continue;
        }
        for (let f = 0; f < widths.item; f++) {
          if (itemIndices[i * widths.item + f] === UNKNOWN_INDEX) {
            itemIndices[i * widths.item + f] = rows.itemIndices[r * widths.item + f];
          }
        }
        if (seen[i] === 0) {
          seen[i] = 1;
          itemCategories.set(rows.itemCategories.subarray(r * widths.categories, (r + 1) * widths.categories), i * widths.categories);
          itemNumeric.set(rows.itemNumeric.subarray(r * widths.numeric, (r + 1) * widths.numeric), i * widths.numeric);
        }
      }
    }
  }
  return { itemIds, widths, itemIndices, itemCategories, itemNumeric };
}

/**
 * Model rows of `task`'s user for item indices `items`: an item at position `j` that is the
 * task's `j`-th query item is that query row as encoded (so query predictions are the ones the
 * task alone gives); any other item gets the user's features (its first support, else query, row)
 * and the item's from `features`. Labels are 0 (prediction does not read them).
 * @throws EvalConfigError `EVAL_DATA_INVALID` for an item index outside `features`, or a task without rows when other items are asked for.
 */
export function rowsForItems(task: UserTask, features: ItemFeatureRows, items: Int32Array): EncodedRows {
  const w = features.widths;
  const n = items.length;
  const out = {
    count: n,
    userIndices: new Int32Array(n * w.user),
    itemIndices: new Int32Array(n * w.item),
    itemCategories: new Float32Array(n * w.categories),
    itemNumeric: new Float32Array(n * w.numeric),
    labels: new Float32Array(n),
    itemIds: new Array<string>(n),
  };
  const copyRow = (rows: EncodedRows, r: number, j: number): void => {
    out.userIndices.set(rows.userIndices.subarray(r * w.user, (r + 1) * w.user), j * w.user);
    out.itemIndices.set(rows.itemIndices.subarray(r * w.item, (r + 1) * w.item), j * w.item);
    out.itemCategories.set(rows.itemCategories.subarray(r * w.categories, (r + 1) * w.categories), j * w.categories);
    out.itemNumeric.set(rows.itemNumeric.subarray(r * w.numeric, (r + 1) * w.numeric), j * w.numeric);
  };
  const userRows = task.support.count > 0 ? task.support : task.query;
  for (let j = 0; j < n; j++) {
    const i = items[j];
    const id = features.itemIds[i];
    if (!(i >= 0 && id !== undefined)) {
      throw new EvalConfigError('EVAL_DATA_INVALID', `item index ${i} is not an item of the run's tasks (${features.itemIds.length} items)`);
    }
    out.itemIds[j] = id;
    if (j < task.query.count && task.query.itemIds[j] === id) {
      copyRow(task.query, j, j);
      continue;
    }
    if (userRows.count === 0) {
      throw new EvalConfigError('EVAL_DATA_INVALID', `user ${task.userId} has no rows to take its features from`);
    }
    out.userIndices.set(userRows.userIndices.subarray(0, w.user), j * w.user);
    out.itemIndices.set(features.itemIndices.subarray(i * w.item, (i + 1) * w.item), j * w.item);
    out.itemCategories.set(features.itemCategories.subarray(i * w.categories, (i + 1) * w.categories), j * w.categories);
    out.itemNumeric.set(features.itemNumeric.subarray(i * w.numeric, (i + 1) * w.numeric), j * w.numeric);
  }
  return out;
}
