import type { EncodedRows, UserTask } from '@metarec/schemas';

import type { EncodedItemTable, EncodedUserTable } from '../encoding/feature-tables.js';
import { gatherRows } from '../encoding/row-gather.js';
import type { TaskFilter, TaskInteractions, TaskSplit, TaskSplitOptions } from './split-user-tasks.js';
import { splitUserTasks } from './split-user-tasks.js';

/** Input of {@link buildUserTasks}. `interactions.userRows`/`itemRows` index `users`/`items`. */
export interface BuildUserTasksInput extends TaskFilter {
  readonly interactions: TaskInteractions;
  readonly users: EncodedUserTable;
  readonly items: EncodedItemTable;
}

/** Tasks plus the split they were built from (interaction indices, e.g. for baselines and leak checks). */
export interface BuiltUserTasks {
  readonly tasks: UserTask[];
  readonly splits: TaskSplit[];
}

/**
 * MeLU's few-shot tasks: one per eligible user, query = `queryCount` interactions (random or
 * latest), support = the rest (up to `supportCap`), encoded by gathering rows of the encoded
 * user and item tables. Deterministic for a given `seed`.
 * @throws DatasetError `DS_INVALID_OPTION`, `DS_INVALID_INPUT` (see {@link splitUserTasks}).
 */
export function buildUserTasks(input: BuildUserTasksInput, options: TaskSplitOptions = {}): BuiltUserTasks {
  const splits = splitUserTasks(input.interactions, input.users.ids, options, input);
  const tasks = splits.map((split) => ({
    userId: input.users.ids[split.userRow],
    support: encodeInteractions(input, split.support),
    query: encodeInteractions(input, split.query),
  }));
  return { tasks, splits };
}

/** Encodes the interactions at `indices` (rows of `input.interactions`) as {@link EncodedRows}. */
export function encodeInteractions(input: BuildUserTasksInput, indices: Int32Array): EncodedRows {
  const { userRows, itemRows, labels } = input.interactions;
  const pick = <T extends Int32Array | Float32Array>(column: T, out: T): T => {
    indices.forEach((k, r) => {
      out[r] = column[k];
    });
    return out;
  };
  return gatherRows({
    users: input.users,
    items: input.items,
    userRows: pick(userRows, new Int32Array(indices.length)),
    itemRows: pick(itemRows, new Int32Array(indices.length)),
    labels: pick(labels, new Float32Array(indices.length)),
  });
}
