// Held-out-user MAE of the meta-learned model (adapted and not) and of the baselines, all on the
// same query ratings after the same support sets (the trainer's protocol, plus a bias baseline).
import { adapt, loadParams, predictRows, type MetaModel } from '@metarec/meta-learning';
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

function mae(predicted: readonly number[], actual: readonly number[]): number {
  let sum = 0;
  for (let k = 0; k < predicted.length; k++) {
    sum += Math.abs(predicted[k] - actual[k]);
  }
  return predicted.length === 0 ? Number.NaN : sum / predicted.length;
}

/** Baselines fitted on every rating of `train` (support and query) and each held-out user's support. */
export function baselineMae(train: readonly UserTask[], heldOut: readonly UserTask[]): BaselineMae {
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
  const actual: number[] = [];
  const p = { globalMean: [] as number[], userMean: [] as number[], itemMean: [] as number[], bias: [] as number[] };
  for (const t of heldOut) {
    let residual = 0;
    let support = 0;
    for (let r = 0; r < t.support.count; r++) {
      residual += t.support.labels[r] - mu - itemOffset(t.support.itemIds[r]);
      support += t.support.labels[r];
    }
    const userOffset = residual / (t.support.count + BIAS_DAMPING);
    const userMean = t.support.count === 0 ? mu : support / t.support.count;
    for (let r = 0; r < t.query.count; r++) {
      const id = t.query.itemIds[r];
      actual.push(t.query.labels[r]);
      p.globalMean.push(mu);
      p.userMean.push(userMean);
      p.itemMean.push(itemMean(id));
      p.bias.push(mu + itemOffset(id) + userOffset);
    }
  }
  return { globalMean: mae(p.globalMean, actual), userMean: mae(p.userMean, actual), itemMean: mae(p.itemMean, actual), bias: mae(p.bias, actual) };
}

/** MAE on the query ratings after `steps` local-update steps at `lr` on each support set (0 steps: the prior). */
export function modelMae(model: MetaModel, params: Float32Array, heldOut: readonly UserTask[], steps: number, lr: number): number {
  const base = loadParams(model, params);
  const predicted: number[] = [];
  const actual: number[] = [];
  try {
    for (const t of heldOut) {
      const user = adapt(base, t.support, { steps, lr });
      try {
        predictRows(user, t.query).forEach((v, r) => {
          predicted.push(v);
          actual.push(t.query.labels[r]);
        });
      } finally {
        user.dispose();
      }
    }
  } finally {
    base.dispose();
  }
  return mae(predicted, actual);
}
