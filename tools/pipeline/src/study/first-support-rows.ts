import type { EncodedRows, UserTask } from '@metarec/schemas';

/** The first `k` rows of `rows` (all of them when `k` is at least the count; none for 0). */
export function firstRows(rows: EncodedRows, k: number): EncodedRows {
  if (k >= rows.count) {
    return rows;
  }
  const per = (a: { readonly length: number }): number => a.length / rows.count;
  return {
    count: k,
    userIndices: rows.userIndices.slice(0, k * per(rows.userIndices)),
    itemIndices: rows.itemIndices.slice(0, k * per(rows.itemIndices)),
    itemCategories: rows.itemCategories.slice(0, k * per(rows.itemCategories)),
    itemNumeric: rows.itemNumeric.slice(0, k * per(rows.itemNumeric)),
    labels: rows.labels.slice(0, k),
    itemIds: rows.itemIds.slice(0, k),
  };
}

/** `task` with its support cut to the first `k` ratings (Infinity: kept whole). */
export function withFirstSupport(task: UserTask, k: number): UserTask {
  return { ...task, support: firstRows(task.support, k) };
}
