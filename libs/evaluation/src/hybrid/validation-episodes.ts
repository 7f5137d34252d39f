import { SeededRng } from '@metarec/runtime';

import type { EvalTask, TrainingSet } from '../protocol/eval-task.js';
import { trainingSetFromTasks } from '../protocol/eval-task.js';
import { bucketRange, SUPPORT_BUCKET_STARTS } from '@metarec/meta-learning';

/** A simulated newcomer made from a held-out training user: an evaluation task without a scenario. */
export type ValidationEpisode = Omit<EvalTask, 'scenario'>;

/** One fold of user-level cross-validation inside the training split. */
export interface ValidationFold {
  /** The other folds' users: what the components are fitted on. */
  readonly inner: TrainingSet;
  /** This fold's users, each re-split once per support-size bucket it can fill. */
  readonly episodes: readonly ValidationEpisode[];
}

/** Settings of {@link userFolds}. */
export interface UserFoldOptions {
  readonly folds: number;
  readonly seed: number;
  /** Query ratings per episode (at most half the user's ratings). @defaultValue 10 */
  readonly queryCount?: number;
  /** Sampled unrated items per episode. @defaultValue 100 */
  readonly negativeCount?: number;
}

/**
 * k-fold cross-validation over the training users (never the evaluation users): fold f fits on
 * the other folds' users and validates on its own, who are unseen like new users. Each validation
 * user yields one episode per support-size bucket (sizes drawn at random inside the bucket), so
 * blend weights are learned for 0, 1, 2… ratings alike; negatives are items of the catalogue the
 * user has no training rating for.
 */
export function userFolds(train: TrainingSet, options: UserFoldOptions): ValidationFold[] {
  const rng = new SeededRng((options.seed ^ 0x2f6b3c19) >>> 0);
  const queryCount = options.queryCount ?? 10;
  const negativeCount = options.negativeCount ?? 100;
  const order = rng.permutation(train.tasks.length);
  const foldOf = new Int32Array(train.tasks.length);
  order.forEach((t, k) => (foldOf[t] = k % options.folds));
  // The whole catalogue: items nobody in the inner folds rated are how validation sees new items.
  const poolItems = Int32Array.from({ length: train.itemCount }, (_, i) => i);
  const folds: ValidationFold[] = [];
  for (let f = 0; f < options.folds; f++) {
    const innerTasks = train.tasks.filter((_, t) => foldOf[t] !== f);
    const episodes: ValidationEpisode[] = [];
    train.tasks.forEach((task, t) => {
      if (foldOf[t] === f) {
        episodes.push(...episodesOf(task, rng, queryCount, negativeCount, poolItems));
      }
    });
    folds.push({ inner: trainingSetFromTasks(innerTasks, train.userCount, train.itemCount), episodes });
  }
  return folds;
}

function episodesOf(task: EvalTask, rng: SeededRng, queryCount: number, negativeCount: number, pool: Int32Array): ValidationEpisode[] {
  const n = task.supportItems.length;
  const q = Math.min(queryCount, Math.floor(n / 2));
  if (q === 0) {
    return [];
  }
  const rated = new Set(task.supportItems);
  const candidates = Array.from(pool).filter((i) => !rated.has(i));
  const p = rng.permutation(n);
  const take = (from: number, to: number): { items: Int32Array; ratings: Float32Array } => ({
    items: Int32Array.from(p.subarray(from, to), (j) => task.supportItems[j]),
    ratings: Float32Array.from(p.subarray(from, to), (j) => task.supportRatings[j]),
  });
  const query = take(0, q);
  const out: ValidationEpisode[] = [];
  for (let b = 0; b < SUPPORT_BUCKET_STARTS.length; b++) {
    const { lo, hi } = bucketRange(b, n - q);
    if (lo > hi) {
      break;
    }
    const k = lo + rng.int(hi - lo + 1);
    const support = take(q, q + k);
    for (let j = 0; j < Math.min(negativeCount, candidates.length); j++) {
      const at = j + rng.int(candidates.length - j);
      [candidates[j], candidates[at]] = [candidates[at], candidates[j]];
    }
    out.push({
      user: task.user,
      supportItems: support.items,
      supportRatings: support.ratings,
      queryItems: query.items,
      queryRatings: query.ratings,
      negatives: Int32Array.from(candidates.slice(0, Math.min(negativeCount, candidates.length))),
    });
  }
  return out;
}
