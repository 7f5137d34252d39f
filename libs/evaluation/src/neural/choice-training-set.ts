import { SeededRng } from '@metarec/runtime';

import type { EvalTask, TrainingSet } from '../protocol/eval-task.js';
import { trainingSetFromTasks } from '../protocol/eval-task.js';
import type { SupportSet } from '../recommender/recommender.js';

/** Items with at least one training interaction: where sampled negatives come from (new items stay unseen). */
export function knownItems(train: TrainingSet): Int32Array {
  return Int32Array.from(new Set(train.items)).sort();
}

/**
 * `count` distinct items of `pool` outside `exclude`, drawn uniformly by rejection (pools are much
 * larger than a user's history); fewer when the pool runs out.
 */
export function sampleUnrated(pool: Int32Array, exclude: ReadonlySet<number>, count: number, rng: SeededRng): Int32Array {
  const out = new Set<number>();
  let available = 0;
  for (const item of pool) {
    available += exclude.has(item) ? 0 : 1;
  }
  const want = Math.min(count, Math.max(0, available));
  while (out.size < want) {
    const item = pool[rng.int(pool.length)];
    if (!exclude.has(item)) {
      out.add(item);
    }
  }
  return Int32Array.from(out);
}

/**
 * The training set of a choice model: every rated item of a task is a positive (label 1, the user
 * chose it) and `negativesPerPositive` times as many items the user never rated, drawn uniformly
 * from the known items, are negatives (label 0). A model trained on ratings alone never sees an
 * item a user passed over, so it cannot rank what they would choose; this is the sampled-negative
 * (implicit-feedback) objective, here in both the pre-training and the meta-training episodes.
 */
export function choiceTrainingSet(train: TrainingSet, negativesPerPositive: number, seed: number): TrainingSet {
  const rng = new SeededRng((seed ^ 0x6c078965) >>> 0);
  const pool = knownItems(train);
  const tasks: EvalTask[] = train.tasks.map((t) => {
    const support = choiceSupport({ items: t.supportItems, ratings: t.supportRatings }, pool, negativesPerPositive, rng);
    return { ...t, supportItems: support.items, supportRatings: support.ratings };
  });
  return trainingSetFromTasks(tasks, train.userCount, train.itemCount);
}

/** A support set as choices: its items labelled 1, then sampled unrated known items labelled 0. */
export function choiceSupport(support: SupportSet, pool: Int32Array, negativesPerPositive: number, rng: SeededRng): SupportSet {
  const negatives = sampleUnrated(pool, new Set(support.items), Math.round(support.items.length * negativesPerPositive), rng);
  const items = new Int32Array(support.items.length + negatives.length);
  items.set(support.items, 0);
  items.set(negatives, support.items.length);
  const ratings = new Float32Array(items.length);
  ratings.fill(1, 0, support.items.length);
  return { items, ratings };
}
