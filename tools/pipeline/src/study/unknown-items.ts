// Held-out query items scored as if they were released after training: their `item_id` index is
// replaced by the vocabulary's unknown index 0 (everything else, content included, unchanged).
// The gap to the known-id scores is what a new item gets from the unknown row of the id table.
import type { EncodedRows, FeatureLayout, UserTask } from '@metarec/schemas';

/** Index every vocabulary gives to an unknown value (as `UNKNOWN_INDEX` of libs/datasets). */
const UNKNOWN = 0;

/**
 * Copies of `tasks` whose query rows have `item_id` set to unknown (support rows unchanged).
 * @throws Error when the layout has no `item_id` item field.
 */
export function withUnknownQueryItems(layout: FeatureLayout, tasks: readonly UserTask[]): UserTask[] {
  const field = layout.itemFields.findIndex((f) => f.name === 'item_id');
  if (field < 0) {
    throw new Error('withUnknownQueryItems: the layout has no item_id field');
  }
  const width = layout.itemFields.length;
  return tasks.map((t) => ({ ...t, query: unknownItems(t.query, field, width) }));
}

function unknownItems(rows: EncodedRows, field: number, width: number): EncodedRows {
  const itemIndices = rows.itemIndices.slice();
  for (let r = 0; r < rows.count; r++) {
    itemIndices[r * width + field] = UNKNOWN;
  }
  return { ...rows, itemIndices };
}

/** Mean absolute difference of two equally shaped per-user prediction lists (stars). */
export function meanAbsoluteShift(a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[]): number {
  let sum = 0;
  let n = 0;
  a.forEach((user, u) => {
    for (let r = 0; r < user.length; r++) {
      sum += Math.abs(user[r] - b[u][r]);
      n += 1;
    }
  });
  return n === 0 ? Number.NaN : sum / n;
}
