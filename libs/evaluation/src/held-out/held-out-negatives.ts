import { SeededRng } from '@metarec/runtime';

import { EvalConfigError } from '../errors.js';
import { DEFAULT_COLD_START_SPLIT_OPTIONS } from '../protocol/cold-start-split.js';
import { sampleNegatives } from '../protocol/negative-sampler.js';
import type { UserTaskSplit } from './user-task-split.js';

/** Options of {@link withHeldOutNegatives}. */
export interface HeldOutNegativeOptions {
  /** Unrated items sampled per held-out user, as `metarec-eval`'s protocol. @defaultValue 100 */
  readonly negativeCount?: number;
  /**
   * Seed of the draws. A training run passes its data split seed, so runs on the same held-out
   * users (the same `evaluationSetId` at the promotion gate) rank against the same negatives.
   * @defaultValue 0
   */
  readonly seed?: number;
}

/** Defaults of {@link HeldOutNegativeOptions}. */
export const DEFAULT_HELD_OUT_NEGATIVES: Required<HeldOutNegativeOptions> = { negativeCount: DEFAULT_COLD_START_SPLIT_OPTIONS.negativeCount, seed: 0 };

/**
 * `split` with sampled negatives on every held-out task, for nDCG@10, recall@10 and AUC of the
 * query positives against unrated items (the protocol's `sampleNegatives`): up to `negativeCount`
 * items the training users rated and this user has in neither support nor query, uniformly
 * without replacement, one generator over the tasks in order. Deterministic in `seed`.
 * @throws EvalConfigError `EVAL_CONFIG_INVALID` when `negativeCount` is not a non-negative integer.
 */
export function withHeldOutNegatives(split: UserTaskSplit, options: HeldOutNegativeOptions = {}): UserTaskSplit {
  const { negativeCount, seed } = { ...DEFAULT_HELD_OUT_NEGATIVES, ...options };
  if (!(Number.isInteger(negativeCount) && negativeCount >= 0)) {
    throw new EvalConfigError('EVAL_CONFIG_INVALID', `negativeCount must be a non-negative integer, got ${negativeCount}`);
  }
  const itemCount = split.training.itemCount;
  const inTraining = new Uint8Array(itemCount);
  for (const i of split.training.items) {
    inTraining[i] = 1;
  }
  // Ascending item index: the pool does not depend on the order ratings were listed in.
  const pool = Int32Array.from(inTraining.keys()).filter((i) => inTraining[i] === 1);
  // A tag keeps these draws apart from other users of the same seed (task split, id dropout).
  const rng = new SeededRng(`${seed}:held-out-negatives`);
  const rated = new Uint8Array(itemCount);
  const tasks = split.tasks.map((t) => {
    const mark = (v: number): void => {
      for (const i of t.supportItems) {
        rated[i] = v;
      }
      for (const i of t.queryItems) {
        rated[i] = v;
      }
    };
    mark(1);
    const negatives = sampleNegatives(pool, rated, negativeCount, rng);
    mark(0);
    return { ...t, negatives };
  });
  return { ...split, tasks };
}
