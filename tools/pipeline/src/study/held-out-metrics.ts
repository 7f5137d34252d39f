// Held-out-user MAE of the meta-learned model (adapted and not) and of the baselines, all on the
// same query ratings after the same support sets (the trainer's protocol, plus a bias baseline).
import { loadParams, type MetaModel } from '@metarec/meta-learning';
import { adaptedQueryPredictions } from '@metarec/training';
import type { UserTask } from '@metarec/schemas';

/** Damping of the bias baseline's item and user offsets, in pseudo-ratings at the mean. */
export const BIAS_DAMPING = 5;

/** MAE of each baseline on the held-out users' query ratings. */
export interface BaselineMae {
  readonly globalMean: number;
  /** Mean of the user's support ratings. */
  readonly userMean: number;
  /** The item's mean rating by training users (the trainer's itemMean). */
  readonly itemMean: number;
  /** Global mean + damped item offset (training users) + damped user offset (support). */
  readonly bias: number;
}

/** Absolute errors on each held-out user's query ratings (one array per user, in task order). */
export type UserErrors = readonly (readonly number[])[];

/** Names of the baselines. */
export type BaselineName = keyof BaselineMae;

/** Mean absolute error over every rating of `errors`. */
export function meanError(errors: UserErrors): number {
  let sum = 0;
  let n = 0;
  for (const user of errors) {
    for (const e of user) {
      sum += e;
      n += 1;
    }
  }
  return n === 0 ? Number.NaN : sum / n;
}

/**
 * Mean over users of the per-user difference of mean errors (`a` − `b`, negative: `a` is better)
 * and its standard error across users (ratings of one user are not independent, users are).
 */
export function pairedDifference(a: UserErrors, b: UserErrors): { readonly mean: number; readonly se: number } {
  const diffs = a.map((user, u) => user.reduce((s, e, r) => s + e - b[u][r], 0) / Math.max(1, user.length));
  const mean = diffs.reduce((s, d) => s + d, 0) / Math.max(1, diffs.length);
  const variance = diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / Math.max(1, diffs.length - 1);
  return { mean, se: Math.sqrt(variance / Math.max(1, diffs.length)) };
}

/** Baselines fitted on every rating of `train` (support and query) and each held-out user's support. */
export function baselineErrors(train: readonly UserTask[], heldOut: readonly UserTask[]): Record<BaselineName, UserErrors> {
  const items = new Map<string, { sum: number; n: number }>();
  let sum = 0;
  let n = 0;
  for (const t of train) {
    for (const rows of [t.support, t.query]) {
      for (let r = 0; r < rows.count; r++) {
        const e = items.get(rows.itemIds[r]) ?? { sum: 0, n: 0 };
        e.sum += rows.labels[r];
        e.n += 1;
        items.set(rows.itemIds[r], e);
        sum += rows.labels[r];
        n += 1;
      }
    }
  }
  const mu = n === 0 ? 0 : sum / n;
  const itemOffset = (id: string): number => {
    const e = items.get(id);
    return e === undefined ? 0 : (e.sum - e.n * mu) / (e.n + BIAS_DAMPING);
  };
  const itemMean = (id: string): number => {
    const e = items.get(id);
    return e === undefined ? mu : e.sum / e.n;
  };
  const out: Record<BaselineName, number[][]> = { globalMean: [], userMean: [], itemMean: [], bias: [] };
  for (const t of heldOut) {
    let residual = 0;
    let support = 0;
    for (let r = 0; r < t.support.count; r++) {
      residual += t.support.labels[r] - mu - itemOffset(t.support.itemIds[r]);
      support += t.support.labels[r];
    }
    const userOffset = residual / (t.support.count + BIAS_DAMPING);
    const userMean = t.support.count === 0 ? mu : support / t.support.count;
    const query = Array.from({ length: t.query.count }, (_, r) => ({ id: t.query.itemIds[r], y: t.query.labels[r] }));
    out.globalMean.push(query.map((q) => Math.abs(mu - q.y)));
    out.userMean.push(query.map((q) => Math.abs(userMean - q.y)));
    out.itemMean.push(query.map((q) => Math.abs(itemMean(q.id) - q.y)));
    out.bias.push(query.map((q) => Math.abs(mu + itemOffset(q.id) + userOffset - q.y)));
  }
  return out;
}

/** MAE of each baseline (see {@link baselineErrors}). */
export function baselineMae(train: readonly UserTask[], heldOut: readonly UserTask[]): BaselineMae {
  const e = baselineErrors(train, heldOut);
  return { globalMean: meanError(e.globalMean), userMean: meanError(e.userMean), itemMean: meanError(e.itemMean), bias: meanError(e.bias) };
}

/**
 * Predictions for the query rows after `steps` local-update steps at `lr` (support-size shrinkage
 * `shrinkage`, see meta-learning's `AdaptOptions`) on each support set (0 steps: the prior).
 */
export function modelPredictions(model: MetaModel, params: Float32Array, heldOut: readonly UserTask[], steps: number, lr: number, shrinkage = 0): number[][] {
  const base = loadParams(model, params);
  try {
    return adaptedQueryPredictions(base, heldOut, { steps, lr, shrinkage }).map((p) => Array.from(p));
  } finally {
    base.dispose();
  }
}

/** Absolute errors of {@link modelPredictions} on the query ratings. */
export function modelErrors(model: MetaModel, params: Float32Array, heldOut: readonly UserTask[], steps: number, lr: number, shrinkage = 0): UserErrors {
  return modelPredictions(model, params, heldOut, steps, lr, shrinkage).map((user, u) => user.map((v, r) => Math.abs(v - heldOut[u].query.labels[r])));
}

/** MAE of {@link modelErrors}. */
export function modelMae(model: MetaModel, params: Float32Array, heldOut: readonly UserTask[], steps: number, lr: number, shrinkage = 0): number {
  return meanError(modelErrors(model, params, heldOut, steps, lr, shrinkage));
}
