import type { Scenario } from './scenario.js';

/**
 * One user's evaluation task in one scenario: the method sees `support` (items + ratings) and
 * must predict `query`. `negatives` are items the user never rated (in the whole data set),
 * drawn from the scenario's item pool, for the sampled-negatives ranking metrics.
 */
export interface EvalTask {
  readonly scenario: Scenario;
  readonly user: number;
  readonly supportItems: Int32Array;
  readonly supportRatings: Float32Array;
  readonly queryItems: Int32Array;
  readonly queryRatings: Float32Array;
  readonly negatives: Int32Array;
}

/** What every method may learn from: columnar training ratings plus the per-user tasks they come from. */
export interface TrainingSet {
  readonly userCount: number;
  readonly itemCount: number;
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly ratings: Float32Array;
  /**
   * The warm tasks whose support sets make up the training rows (a meta-learner re-splits
   * these into its own support/query; it must never see the evaluation query).
   */
  readonly tasks: readonly EvalTask[];
}

/** Builds the columnar training rows from tasks' support sets. */
export function trainingSetFromTasks(tasks: readonly EvalTask[], userCount: number, itemCount: number): TrainingSet {
  let n = 0;
  for (const t of tasks) {
    n += t.supportItems.length;
  }
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  const ratings = new Float32Array(n);
  let at = 0;
  for (const t of tasks) {
    users.fill(t.user, at, at + t.supportItems.length);
    items.set(t.supportItems, at);
    ratings.set(t.supportRatings, at);
    at += t.supportItems.length;
  }
  return { userCount, itemCount, users, items, ratings, tasks };
}
