import type { TrainingSet } from '../protocol/eval-task.js';

/** Per item of the training catalogue: the sum of its training ratings and their count. */
export interface ItemRatingTotals {
  readonly sum: Float64Array;
  readonly count: Float64Array;
}

/** One pass over the training ratings; the damped item mean and the damped bias both start here. */
export function itemRatingTotals(train: TrainingSet): ItemRatingTotals {
  const sum = new Float64Array(train.itemCount);
  const count = new Float64Array(train.itemCount);
  for (let r = 0; r < train.items.length; r++) {
    sum[train.items[r]] += train.ratings[r];
    count[train.items[r]]++;
  }
  return { sum, count };
}
