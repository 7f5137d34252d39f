import { meanAbsoluteError, ndcgAtK, rootMeanSquaredError } from '@metarec/evaluation';
import { adapt, loadParams, predictRows, type AdaptOptions, type LoadedParams, type MetaModel } from '@metarec/meta-learning';
import type { UserTask } from '@metarec/schemas';

/** Metrics of one method on the held-out users' query sets. */
export interface MethodMetrics {
  readonly mae: number;
  readonly rmse: number;
  /** nDCG@k of the query items ranked by prediction, true labels as gains (mean over users). */
  readonly ndcg: number;
}

/** The model's metrics after MeLU's local update, beside the baselines on the same users. */
export interface RunEvaluation {
  readonly users: number;
  readonly k: number;
  readonly model: MethodMetrics;
  readonly baselines: { readonly globalMean: MethodMetrics; readonly userMean: MethodMetrics; readonly itemMean: MethodMetrics };
}

/** Options of {@link evaluateModel}. */
export interface EvaluateModelOptions {
  /** Local-update steps and rate (the run's inner loop). */
  readonly adaptSteps: number;
  readonly adaptLr: number;
  /** Support-size shrinkage κ of the local update (see `calibrateShrinkage`). @defaultValue 0 */
  readonly adaptShrinkage?: number;
  /** Rank cut-off of nDCG. @defaultValue 3 (MeLU) */
  readonly k?: number;
}

/** Predictions and labels of every task's query rows, end to end. */
function pooled(predictions: readonly Float32Array[], tasks: readonly UserTask[]): { all: Float32Array; labels: Float32Array } {
  const all = new Float32Array(predictions.reduce((a, p) => a + p.length, 0));
  const labels = new Float32Array(all.length);
  let at = 0;
  predictions.forEach((p, i) => {
    all.set(p, at);
    labels.set(tasks[i].query.labels.subarray(0, p.length), at);
    at += p.length;
  });
  return { all, labels };
}

/** MAE over all query ratings of `tasks` (pooled, not averaged per user). */
export function queryMae(predictions: readonly Float32Array[], tasks: readonly UserTask[]): number {
  const { all, labels } = pooled(predictions, tasks);
  return meanAbsoluteError(all, labels);
}

function methodMetrics(predictions: Float32Array[], tasks: readonly UserTask[], k: number): MethodMetrics {
  const { all, labels } = pooled(predictions, tasks);
  const ndcg = predictions.reduce((sum, p, i) => sum + ndcgAtK(p, tasks[i].query.labels, k), 0);
  return { mae: meanAbsoluteError(all, labels), rmse: rootMeanSquaredError(all, labels), ndcg: ndcg / Math.max(1, tasks.length) };
}

/** Each task's query predictions after the local update on its support set. */
export function adaptedQueryPredictions(base: LoadedParams, tasks: readonly UserTask[], update: Partial<AdaptOptions>): Float32Array[] {
  return tasks.map((t) => {
    const user = adapt(base, t.support, update);
    try {
      return predictRows(user, t.query);
    } finally {
      user.dispose();
    }
  });
}

function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    s += values[i];
  }
  return values.length === 0 ? 0 : s / values.length;
}

/**
 * MeLU's protocol on held-out users: adapt on each user's support set, predict the query set;
 * baselines: the training mean, the user's support mean, and each item's training mean
 * (falling back to the training mean). Ties in constant predictions rank by position.
 */
export function evaluateModel(model: MetaModel, params: Float32Array, train: readonly UserTask[], heldOut: readonly UserTask[], options: EvaluateModelOptions): RunEvaluation {
  const k = options.k ?? 3;
  const itemSums = new Map<string, { sum: number; n: number }>();
  let sum = 0;
  let count = 0;
  for (const t of train) {
    for (const rows of [t.support, t.query]) {
      for (let r = 0; r < rows.count; r++) {
        sum += rows.labels[r];
        count += 1;
        const e = itemSums.get(rows.itemIds[r]) ?? { sum: 0, n: 0 };
        e.sum += rows.labels[r];
        e.n += 1;
        itemSums.set(rows.itemIds[r], e);
      }
    }
  }
  const globalMean = count === 0 ? 0 : sum / count;
  const base = loadParams(model, params);
  try {
    const predicted = adaptedQueryPredictions(base, heldOut, { steps: options.adaptSteps, lr: options.adaptLr, shrinkage: options.adaptShrinkage ?? 0 });
    const constant = (v: (t: UserTask) => number): Float32Array[] => heldOut.map((t) => new Float32Array(t.query.count).fill(v(t)));
    const itemMean = heldOut.map((t) =>
      Float32Array.from(t.query.itemIds.slice(0, t.query.count), (id) => {
        const e = itemSums.get(id);
        return e === undefined ? globalMean : e.sum / e.n;
      }),
    );
    return {
      users: heldOut.length,
      k,
      model: methodMetrics(predicted, heldOut, k),
      baselines: {
        globalMean: methodMetrics(constant(() => globalMean), heldOut, k),
        userMean: methodMetrics(constant((t) => mean(t.support.labels.subarray(0, t.support.count))), heldOut, k),
        itemMean: methodMetrics(itemMean, heldOut, k),
      },
    };
  } finally {
    base.dispose();
  }
}
