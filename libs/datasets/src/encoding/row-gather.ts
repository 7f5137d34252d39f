import type { EncodedRows } from '@metarec/schemas';

import { DatasetError } from '../errors.js';
import type { EncodedItemTable, EncodedUserTable } from './feature-tables.js';

/** Row number meaning "no profile": all fields encode as unknown (0), numbers as the mean (0). */
export const MISSING_ROW = -1;

/** Input of {@link gatherRows}: one output row per entry of `userRows`/`itemRows`. */
export interface GatherRowsInput {
  readonly users: EncodedUserTable;
  readonly items: EncodedItemTable;
  /** Row in `users` per output row, or {@link MISSING_ROW}. */
  readonly userRows: Int32Array;
  /** Row in `items` per output row, or {@link MISSING_ROW}. */
  readonly itemRows: Int32Array;
  /** Targets per output row. @defaultValue zeros (scoring) */
  readonly labels?: Float32Array;
  /** Item ids per output row. @defaultValue the ids of `itemRows` in `items` */
  readonly itemIds?: readonly string[];
}

/**
 * Builds {@link EncodedRows} by copying table slices: no object per row, O(rows × width).
 * @throws DatasetError `DS_INVALID_INPUT` when lengths disagree or a row is out of range.
 */
export function gatherRows(input: GatherRowsInput): EncodedRows {
  const { users, items, userRows, itemRows } = input;
  const count = userRows.length;
  if (itemRows.length !== count || (input.labels !== undefined && input.labels.length !== count) || (input.itemIds !== undefined && input.itemIds.length !== count)) {
    throw new DatasetError('DS_INVALID_INPUT', `gatherRows: userRows (${count}), itemRows (${itemRows.length}), labels and itemIds must have equal lengths`);
  }
  const U = users.fieldCount;
  const I = items.fieldCount;
  const C = items.categoryCount;
  const N = items.numericCount;
  const userIndices = new Int32Array(count * U);
  const itemIndices = new Int32Array(count * I);
  const itemCategories = new Float32Array(count * C);
  const itemNumeric = new Float32Array(count * N);
  const itemIds: string[] = new Array<string>(count);
  for (let r = 0; r < count; r++) {
    const u = userRows[r];
    const i = itemRows[r];
    checkRow('userRows', r, u, users.count);
    checkRow('itemRows', r, i, items.count);
    // Plain loops, not subarray().set(): a subarray is an object, and rows are many and narrow.
    if (u !== MISSING_ROW) {
      copy(users.fields, u * U, userIndices, r * U, U);
    }
    if (i !== MISSING_ROW) {
      copy(items.fields, i * I, itemIndices, r * I, I);
      copy(items.categories, i * C, itemCategories, r * C, C);
      copy(items.numeric, i * N, itemNumeric, r * N, N);
    }
    itemIds[r] = input.itemIds?.[r] ?? (i === MISSING_ROW ? '' : items.ids[i]);
  }
  const labels = input.labels === undefined ? new Float32Array(count) : input.labels.slice();
  return { count, userIndices, itemIndices, itemCategories, itemNumeric, labels, itemIds };
}

/**
 * Rows scoring `itemIds` for one user: the user's fields repeated on every row (the
 * `EncodedRows` contract has user fields per row), items looked up by id. An id missing from
 * `items` gets unknown features (0) but keeps its id. Labels are zeros.
 * @param userRow row of the user in `users`, or {@link MISSING_ROW} for a user without profile.
 */
export function candidateRows(users: EncodedUserTable, userRow: number, items: EncodedItemTable, itemIds: readonly string[]): EncodedRows {
  const itemRows = Int32Array.from(itemIds, (id) => items.rowById.get(id) ?? MISSING_ROW);
  return gatherRows({ users, items, userRows: new Int32Array(itemIds.length).fill(userRow), itemRows, itemIds });
}

function copy(from: Int32Array | Float32Array, start: number, to: Int32Array | Float32Array, at: number, width: number): void {
  for (let k = 0; k < width; k++) {
    to[at + k] = from[start + k];
  }
}

function checkRow(name: string, at: number, row: number, count: number): void {
  if (row !== MISSING_ROW && (row < 0 || row >= count || !Number.isInteger(row))) {
    throw new DatasetError('DS_INVALID_INPUT', `gatherRows: ${name}[${at}] = ${row} is outside 0..${count - 1}`);
  }
}
