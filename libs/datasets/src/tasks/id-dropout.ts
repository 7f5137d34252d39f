import type { EncodedRows, FeatureLayout, UserTask } from '@metarec/schemas';

import { DatasetError } from '../errors.js';
import { UNKNOWN_INDEX } from '../encoding/vocabulary.js';
import { SeededRng } from '@metarec/runtime';

/** Options of {@link applyIdDropout}. */
export interface IdDropoutOptions {
  /** Probability in [0, 1) that a row's field is replaced by unknown (0 = off). @defaultValue 0.1 */
  readonly probability?: number;
  /** Seed of the per-task draws. @defaultValue 0 */
  readonly seed?: number;
  /** Categorical fields (user or item, by name) to drop. @defaultValue ['item_id'] */
  readonly fields?: readonly string[];
}

/** Defaults of {@link IdDropoutOptions}. */
export const DEFAULT_ID_DROPOUT_OPTIONS = { probability: 0.1, seed: 0, fields: ['item_id'] } as const;

/**
 * Id dropout for training tasks: with `probability`, a support or query row's `fields` index is
 * replaced by the unknown index 0, so the unknown embedding row (the one every item released after
 * training, or user without a profile value, is encoded to) is trained to stand for "an item whose
 * id the model has not seen" and the rest of the network learns to score such rows from content.
 * Without it nothing in training touches index 0. Apply to training tasks only (validation and
 * test keep their ids).
 *
 * Deterministic per task: the draws come from a generator seeded with `seed` and the task's user
 * id, in row order (support then query, fields in the given order), so the result does not depend
 * on task order, on how tasks are sharded over workers, or on a resume. Inputs are not modified;
 * tasks without a dropped row are returned as is.
 * @throws DatasetError `DS_INVALID_OPTION` for a probability outside [0, 1) or a field the layout lacks.
 */
export function applyIdDropout(tasks: readonly UserTask[], layout: FeatureLayout, options: IdDropoutOptions = {}): UserTask[] {
  const p = options.probability ?? DEFAULT_ID_DROPOUT_OPTIONS.probability;
  const seed = options.seed ?? DEFAULT_ID_DROPOUT_OPTIONS.seed;
  const names = options.fields ?? DEFAULT_ID_DROPOUT_OPTIONS.fields;
  if (!(p >= 0 && p < 1)) {
    throw new DatasetError('DS_INVALID_OPTION', `id dropout probability must be in [0, 1), got ${p}`);
  }
  const targets = names.map((name) => {
    const user = layout.userFields.findIndex((f) => f.name === name);
    const item = layout.itemFields.findIndex((f) => f.name === name);
    if (user < 0 && item < 0) {
      throw new DatasetError('DS_INVALID_OPTION', `id dropout field "${name}" is not a categorical field of the layout`);
    }
    return user >= 0 ? { side: 'user' as const, at: user, width: layout.userFields.length } : { side: 'item' as const, at: item, width: layout.itemFields.length };
  });
  if (p === 0 || targets.length === 0) {
    return [...tasks];
  }
  return tasks.map((task) => {
    const rng = new SeededRng(`${seed}:id-dropout:${task.userId}`);
    const drop = (rows: EncodedRows): EncodedRows => {
      let userIndices: Int32Array | null = null;
      let itemIndices: Int32Array | null = null;
      for (let r = 0; r < rows.count; r++) {
        for (const t of targets) {
          if (rng.next() >= p) {
            continue;
          }
          if (t.side === 'user') {
            userIndices ??= rows.userIndices.slice();
            userIndices[r * t.width + t.at] = UNKNOWN_INDEX;
          } else {
            itemIndices ??= rows.itemIndices.slice();
            itemIndices[r * t.width + t.at] = UNKNOWN_INDEX;
          }
        }
      }
      return userIndices === null && itemIndices === null ? rows : { ...rows, userIndices: userIndices ?? rows.userIndices, itemIndices: itemIndices ?? rows.itemIndices };
    };
    const support = drop(task.support);
    const query = drop(task.query);
    return support === task.support && query === task.query ? task : { ...task, support, query };
  });
}
