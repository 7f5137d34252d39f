import { SeededRng } from '@metarec/runtime';

import { TrainingError } from '../errors.js';

/**
 * Deals `count` users (indices into the training tasks) to `k` folds after a permutation seeded by
 * `seed`: every user in exactly one fold, fold sizes differ by at most one, the same folds for
 * every trial of a search (so trials are compared on the same users).
 * @throws TrainingError `TRAIN_DATA_EMPTY` when there are fewer users than folds.
 */
export function userFolds(count: number, k: number, seed: number): number[][] {
  if (count < k) {
    throw new TrainingError('TRAIN_DATA_EMPTY', `${k}-fold cross-validation needs at least ${k} training users (got ${count})`, { field: 'search.folds' });
  }
  const order = new SeededRng(`tune-folds:${seed}`).permutation(count);
  const folds: number[][] = Array.from({ length: k }, () => []);
  order.forEach((user, position) => folds[position % k].push(user));
  return folds.map((f) => f.sort((a, b) => a - b));
}
