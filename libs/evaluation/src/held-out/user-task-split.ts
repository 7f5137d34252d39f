import type { EncodedRows, UserTask } from '@metarec/schemas';

import type { EvalTask, TrainingSet } from '../protocol/eval-task.js';
import { trainingSetFromTasks } from '../protocol/eval-task.js';
import type { Scenario } from '../protocol/scenario.js';

/**
 * A run's users in the protocol's index form: `userTasks[u]` is the task of user index `u`
 * (training users first, then the held-out ones), item ids are dense indices into `itemIds`.
 */
export interface UserTaskSplit {
  /** Every rating of the training users (support and query rows, task by task): what baselines fit on. */
  readonly training: TrainingSet;
  /** One task per held-out user, in the order given: support → query, no sampled negatives. */
  readonly tasks: readonly EvalTask[];
  /** The tasks behind the user indices, for methods that need the encoded features (the model). */
  readonly userTasks: readonly UserTask[];
  /** Item id of each item index. */
  readonly itemIds: readonly string[];
}

/** The scenario a run's held-out users are scored in: users unseen in training, known items. */
const HELD_OUT_SCENARIO: Scenario = 'new_user';

const NO_NEGATIVES = new Int32Array(0);

/**
 * The adapter between training's encoded `UserTask`s (string item ids) and the protocol's
 * `EvalTask`/`TrainingSet`, so the same baselines, scoring and aggregation serve `metarec-eval`
 * and a training run. Deterministic: item indices in order of first appearance.
 */
export function userTaskSplit(train: readonly UserTask[], heldOut: readonly UserTask[]): UserTaskSplit {
  const index = new Map<string, number>();
  const itemsOf = (rows: EncodedRows): Int32Array =>
    Int32Array.from(rows.itemIds.slice(0, rows.count), (id) => {
      const known = index.get(id);
      if (known !== undefined) {
        return known;
      }
      index.set(id, index.size);
      return index.size - 1;
    });
  const concat = <T extends Int32Array | Float32Array>(a: T, b: T, make: (n: number) => T): T => {
    const out = make(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  };
  const trainingTasks = train.map((t, u) =>
    task('warm', u, concat(itemsOf(t.support), itemsOf(t.query), (n) => new Int32Array(n)), concat(labels(t.support), labels(t.query), (n) => new Float32Array(n)), new Int32Array(0), new Float32Array(0)),
  );
  const tasks = heldOut.map((t, h) => task(HELD_OUT_SCENARIO, train.length + h, itemsOf(t.support), labels(t.support), itemsOf(t.query), labels(t.query)));
  const userCount = train.length + heldOut.length;
  return { training: trainingSetFromTasks(trainingTasks, userCount, index.size), tasks, userTasks: [...train, ...heldOut], itemIds: [...index.keys()] };
}

function labels(rows: EncodedRows): Float32Array {
  return rows.labels.subarray(0, rows.count);
}

function task(scenario: Scenario, user: number, supportItems: Int32Array, supportRatings: Float32Array, queryItems: Int32Array, queryRatings: Float32Array): EvalTask {
  return { scenario, user, supportItems, supportRatings, queryItems, queryRatings, negatives: NO_NEGATIVES };
}
