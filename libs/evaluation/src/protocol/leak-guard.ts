import { EvalLeakError } from '../errors.js';
import type { EvalTask } from './eval-task.js';
import { SCENARIOS } from './scenario.js';

/** The rows a method is trained on (a {@link TrainingSet} fits, as does any columnar pair). */
export interface TrainingRows {
  readonly itemCount: number;
  readonly users: Int32Array;
  readonly items: Int32Array;
}

/**
 * Asserts that no evaluation rating can reach training. For every task: no query (user, item)
 * pair is a training row, query and support are disjoint, sampled negatives are not training
 * rows of the user; in a new-user scenario the user has no training row at all, and in a
 * new-item scenario no query item has any training row. Throws `EvalLeakError`
 * (`EVAL_LEAK_DETECTED`) naming the scenario, user and item of the first leak found.
 * Every evaluation run calls this before fitting any method.
 */
export function assertNoLeak(training: TrainingRows, evalTasks: readonly EvalTask[]): void {
  const pairs = new Set<number>();
  const trainedUsers = new Set<number>();
  const trainedItems = new Set<number>();
  for (let r = 0; r < training.users.length; r++) {
    pairs.add(training.users[r] * training.itemCount + training.items[r]);
    trainedUsers.add(training.users[r]);
    trainedItems.add(training.items[r]);
  }
  for (const task of evalTasks) {
    const where = `scenario ${task.scenario}, user ${task.user}`;
    const { coldUser, coldItem } = SCENARIOS[task.scenario];
    if (coldUser && trainedUsers.has(task.user)) {
      throw new EvalLeakError(`${where}: a new user has training rows`);
    }
    const support = new Set(task.supportItems);
    for (const item of task.queryItems) {
      if (pairs.has(task.user * training.itemCount + item)) {
        throw new EvalLeakError(`${where}, item ${item}: query rating is in the training rows`);
      }
      if (support.has(item)) {
        throw new EvalLeakError(`${where}, item ${item}: query item is also in the support set`);
      }
      if (coldItem && trainedItems.has(item)) {
        throw new EvalLeakError(`${where}, item ${item}: a new item has training rows`);
      }
    }
    for (const item of task.negatives) {
      if (pairs.has(task.user * training.itemCount + item)) {
        throw new EvalLeakError(`${where}, item ${item}: a sampled negative is a training rating`);
      }
    }
  }
}
