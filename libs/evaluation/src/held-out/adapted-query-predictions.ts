import { adapt, predictRows, type AdaptOptions, type LoadedParams } from '@metarec/meta-learning';
import type { EncodedRows, UserTask } from '@metarec/schemas';

import { absoluteErrors, pooledMean } from '../metrics/rating-error.js';

/**
 * MeLU's local update for one user: adapts `base` on `support` with `update`, predicts `query`
 * (0 steps or no support: the prior), frees the adapted tensors. The one "adapt on support,
 * predict query" step of every held-out figure (run evaluation, shrinkage calibration, pipeline check).
 */
export function adaptAndPredict(base: LoadedParams, support: EncodedRows, query: EncodedRows, update: Partial<AdaptOptions>): Float32Array {
  const user = adapt(base, support, update);
  try {
    return predictRows(user, query);
  } finally {
    user.dispose();
  }
}

/** Each task's query predictions after the local update on its support set (see {@link adaptAndPredict}). */
export function adaptedQueryPredictions(base: LoadedParams, tasks: readonly UserTask[], update: Partial<AdaptOptions>): Float32Array[] {
  return tasks.map((t) => adaptAndPredict(base, t.support, t.query, update));
}

/** MAE over all query ratings of `tasks` (pooled, not averaged per user); `predictions[i]` belongs to `tasks[i]`. */
export function queryMae(predictions: readonly Float32Array[], tasks: readonly UserTask[]): number {
  return pooledMean(predictions.map((p, i) => absoluteErrors(p, tasks[i].query.labels.subarray(0, p.length))));
}
