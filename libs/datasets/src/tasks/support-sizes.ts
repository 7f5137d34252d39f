import type { EncodedRows, UserTask } from '@metarec/schemas';

import { DatasetError } from '../errors.js';
import { SeededRng } from '@metarec/runtime';

/** A support size to cut a task to: a row count (≥ 1) or the whole support. */
export type SupportSize = number | 'all';

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

/** `task` with its support cut to its first `size` ratings (in the order the task keeps them: time). */
export function withFirstSupport(task: UserTask, size: SupportSize): UserTask {
  return size === 'all' || size >= task.support.count ? task : { ...task, support: firstRows(task.support, size) };
}

/**
 * Support-size sampling for meta-training ("shots"): each use of a training task cuts its support
 * to a size drawn from `sizes`, so the meta-learned prior is trained to be good after 1–10 ratings,
 * the barely-seen users serving sees, not only after a full support. Deterministic per
 * (seed, step, task index): the same on any worker, any sharding and after a resume.
 * @throws DatasetError `DS_INVALID_OPTION` for an empty list or a size that is not an integer ≥ 1 or 'all'.
 */
export function sampleSupportSize(sizes: readonly SupportSize[], seed: number, step: number, taskIndex: number): SupportSize {
  if (sizes.length === 0 || sizes.some((s) => s !== 'all' && !(Number.isInteger(s) && s >= 1))) {
    throw new DatasetError('DS_INVALID_OPTION', `support sizes must be integers >= 1 or 'all', got [${sizes.join(', ')}]`);
  }
  const rng = new SeededRng(`support-size:${seed}:${step}:${taskIndex}`);
  return sizes[rng.int(sizes.length)];
}
