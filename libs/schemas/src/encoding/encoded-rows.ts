import type { FeatureLayout } from './feature-layout.js';

/**
 * A batch of `count` encoded (user, item, label) rows, column-major by field group, as flat
 * typed arrays so they go to tensors without a per-row JS object. Row `r`'s user fields are
 * `userIndices[r * U .. r * U + U)`, where `U = layout.userFields.length`; likewise for items.
 */
export interface EncodedRows {
  readonly count: number;
  /** `count × userFields.length` vocabulary indices. */
  readonly userIndices: Int32Array;
  /** `count × itemFields.length` vocabulary indices. */
  readonly itemIndices: Int32Array;
  /** `count × categoryCount` multi-hot (0/1) item categories. */
  readonly itemCategories: Float32Array;
  /** `count × numericCount` standardised numeric item attributes. */
  readonly itemNumeric: Float32Array;
  /** `count` targets: the rating (regression) or 0/1 (implicit feedback). */
  readonly labels: Float32Array;
  /** `count` item ids as strings, for ranking metrics and responses (not fed to the model). */
  readonly itemIds: readonly string[];
}

/** One user's few-shot task: adapt on `support`, evaluate (or meta-train) on `query`. */
export interface UserTask {
  readonly userId: string;
  readonly support: EncodedRows;
  readonly query: EncodedRows;
}

/** Checks that every array of `rows` has the length `layout` implies; throws a RangeError naming the array. */
export function assertRowsMatchLayout(rows: EncodedRows, layout: FeatureLayout): void {
  const expected: Array<[string, number, number]> = [
    ['userIndices', rows.userIndices.length, rows.count * layout.userFields.length],
    ['itemIndices', rows.itemIndices.length, rows.count * layout.itemFields.length],
    ['itemCategories', rows.itemCategories.length, rows.count * layout.categoryCount],
    ['itemNumeric', rows.itemNumeric.length, rows.count * layout.numericCount],
    ['labels', rows.labels.length, rows.count],
    ['itemIds', rows.itemIds.length, rows.count],
  ];
  for (const [name, actual, want] of expected) {
    if (actual !== want) {
      throw new RangeError(`EncodedRows.${name} has length ${actual}, expected ${want} for ${rows.count} rows`);
    }
  }
}
