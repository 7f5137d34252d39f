import type { SeededRng } from '@metarec/runtime';
import type { EncodedRows, UserTask } from '@metarec/schemas';

import type { EvalTask } from '../protocol/eval-task.js';
import type { TrainingRows } from '../protocol/leak-guard.js';
import type { RowEncoder } from './row-encoder.js';

/** Every training rating as one batch of rows. */
export function allTrainingRows(train: TrainingRows & { readonly ratings: Float32Array }, encoder: RowEncoder): EncodedRows {
  return encoder.batch(train.users, train.items, train.ratings);
}

/**
 * A training episode from a training task's support set only, as the reference re-splits each
 * epoch: query = min(10, ⌊n/2⌋) random ratings, support = the rest. The evaluation query is
 * never touched. Null when the support set has fewer than 2 ratings.
 */
export function resplitTask(task: EvalTask, encoder: RowEncoder, rng: SeededRng, queryCount = 10): UserTask | null {
  const n = task.supportItems.length;
  const nq = Math.min(queryCount, Math.floor(n / 2));
  if (nq < 1) {
    return null;
  }
  const p = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const pick = (from: number, to: number): EncodedRows =>
    encoder.rows(
      task.user,
      Int32Array.from(p.slice(from, to), (j) => task.supportItems[j]),
      Float32Array.from(p.slice(from, to), (j) => task.supportRatings[j]),
    );
  return { userId: String(task.user), support: pick(nq, n), query: pick(0, nq) };
}

/**
 * Meta-training on episodes re-split each time a task is used (the reference re-splits every
 * epoch), through meta-learning's one training loop with the in-process executor: tasks whose
 * support set is too small to split (< 2 ratings) are left out, as the reference skips them.
 * The returned hook draws from the loop's RNG, so a run is reproducible from its seed.
 */
export function resplitEpisodes(tasks: readonly EvalTask[], encoder: RowEncoder): { tasks: readonly EvalTask[]; resample: (indices: readonly number[], rng: SeededRng) => UserTask[] } {
  const usable = tasks.filter((t) => t.supportItems.length >= 2);
  return {
    tasks: usable,
    // Never null: every usable task has at least 2 support ratings.
    resample: (indices, rng) => indices.map((i) => resplitTask(usable[i], encoder, rng) as UserTask),
  };
}
