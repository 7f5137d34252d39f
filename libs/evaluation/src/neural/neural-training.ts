import type { FlatParams, MetaAlgorithm, MetaModel } from '@metarec/meta-learning';
import { applyUpdate, createOptimizerState, metaStep, selectRows } from '@metarec/meta-learning';
import type { EncodedRows, UserTask } from '@metarec/schemas';

import type { EvalTask } from '../protocol/eval-task.js';
import type { TrainingRows } from '../protocol/leak-guard.js';
import { SeededRng } from '@metarec/runtime';
import type { RowEncoder } from './row-encoder.js';

/** Progress of a training loop: epoch (1-based) of `epochs` and the epoch's mean loss. */
export type EpochCallback = (epoch: number, epochs: number, loss: number) => void;

/**
 * Plain supervised training of the whole network on every row (the "global" baseline): Adam on
 * minibatches. The gradient comes from the pure `metaStep` with zero inner steps, where the
 * minibatch is the query (∇ of its MSE at θ), so one code path computes every gradient.
 * Returns the parameters and the mean loss per epoch.
 */
export function trainGlobalParams(
  model: MetaModel,
  init: FlatParams,
  rows: EncodedRows,
  o: { epochs: number; batchSize: number; lr: number; seed: number; onEpoch?: EpochCallback },
): { params: FlatParams; losses: number[] } {
  const rng = new SeededRng(o.seed ^ 0x2545f491);
  let params = init;
  let state = createOptimizerState(model.layout);
  const losses: number[] = [];
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const perm = rng.permutation(rows.count);
    let sum = 0;
    let batches = 0;
    for (let b = 0; b < rows.count; b += o.batchSize) {
      const batch = selectRows(rows, perm.subarray(b, b + o.batchSize), model.featureLayout);
      const task: UserTask = { userId: 'batch', support: selectRows(batch, [0], model.featureLayout), query: batch };
      const r = metaStep(model, params, [task], { algorithm: 'fomaml', innerSteps: 0 });
      const u = applyUpdate(params, state, r.gradient, { lr: o.lr });
      params = u.params;
      state = u.state;
      sum += r.loss;
      batches++;
    }
    losses.push(sum / Math.max(1, batches));
    o.onEpoch?.(epoch + 1, o.epochs, losses[epoch]);
  }
  return { params, losses };
}

/** Every training rating as one batch of rows. */
export function allTrainingRows(train: TrainingRows & { readonly ratings: Float32Array }, encoder: RowEncoder): EncodedRows {
  return encoder.batch(train.users, train.items, train.ratings);
}

/**
 * A training episode from a training task's support set only, as the reference re-splits each
 * epoch: query = min(10, ⌊n/2⌋) random ratings, support = the rest. The evaluation query is
 * never touched.
 */
export function resplitTask(task: EvalTask, encoder: RowEncoder, rng: SeededRng, queryCount = 10): UserTask | null {
  const n = task.supportItems.length;
  const nq = Math.min(queryCount, Math.floor(n / 2));
  if (nq < 1) {
    return null;
  }
  const p = rng.permutation(n);
  const pick = (from: number, to: number): EncodedRows =>
    encoder.rows(
      task.user,
      Int32Array.from(p.subarray(from, to), (j) => task.supportItems[j]),
      Float32Array.from(p.subarray(from, to), (j) => task.supportRatings[j]),
    );
  return { userId: String(task.user), support: pick(nq, n), query: pick(0, nq) };
}

/**
 * Meta-training: each epoch re-splits every training task, shuffles, and takes one outer Adam
 * step (value-clipped as the reference) per meta-batch from the pure `metaStep`.
 * Returns the parameters and the mean query loss per epoch.
 */
export function metaTrainParams(
  model: MetaModel,
  init: FlatParams,
  tasks: readonly EvalTask[],
  encoder: RowEncoder,
  o: { algorithm: MetaAlgorithm; epochs: number; metaBatch: number; innerSteps: number; innerLr: number; outerLr: number; clipValue: number; seed: number; onEpoch?: EpochCallback },
): { params: FlatParams; losses: number[] } {
  const rng = new SeededRng(o.seed ^ 0x68e31da4);
  let params = init;
  let state = createOptimizerState(model.layout);
  const losses: number[] = [];
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const order = rng.permutation(tasks.length);
    let sum = 0;
    let steps = 0;
    for (let b = 0; b < order.length; b += o.metaBatch) {
      const batch: UserTask[] = [];
      for (const k of order.subarray(b, b + o.metaBatch)) {
        const t = resplitTask(tasks[k], encoder, rng);
        if (t) {
          batch.push(t);
        }
      }
      if (batch.length === 0) {
        continue;
      }
      const r = metaStep(model, params, batch, { algorithm: o.algorithm, innerSteps: o.innerSteps, innerLr: o.innerLr });
      const u = applyUpdate(params, state, r.gradient, { lr: o.outerLr, clipValue: o.clipValue });
      params = u.params;
      state = u.state;
      sum += r.loss;
      steps++;
    }
    losses.push(sum / Math.max(1, steps));
    o.onEpoch?.(epoch + 1, o.epochs, losses[epoch]);
  }
  return { params, losses };
}
