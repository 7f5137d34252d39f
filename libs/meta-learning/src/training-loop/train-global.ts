import * as tf from '@tensorflow/tfjs';
import type { EncodedRows } from '@metarec/schemas';

import { MetaLearningError } from '../errors.js';
import { batchLoss } from '../model/forward.js';
import { LR_PREFIX, type MetaModel } from '../model/meta-model.js';
import { disposeInputs, prepareInputs } from '../model/model-inputs.js';
import { deviceParams } from '../algorithms/meta-step.js';
import { fieldEmbeddingTensor, scatterAddTableRows } from '../model/host-embeddings.js';
import { assertFlatSize, layoutEntry, type FlatParams } from '../params/param-layout.js';
import { applyUpdate, createOptimizerState, type AdamOptions, type OptimizerState } from '../optimizer/adam.js';
import { SeededRng } from '@metarec/runtime';
import { concatRows, selectRows } from './encoded-rows-ops.js';
import { TrainingHealth } from './training-health.js';

/**
 * Gradient of the plain (non-meta) loss on one minibatch, in the model layout (`lr/*` entries stay 0).
 * Field embeddings are looked up on the host and enter as a leaf; their gradient is scattered back to
 * the table rows on the host, exactly the gather gradient.
 */
export function globalStep(model: MetaModel, params: FlatParams, rows: EncodedRows): { gradient: FlatParams; loss: number; count: number } {
  assertFlatSize(model.layout, params);
  if (rows.count === 0) {
    throw new MetaLearningError('ML_ROWS_INVALID', 'globalStep needs at least one row', { field: 'rows' });
  }
  const p = deviceParams(model, params);
  const names = Object.keys(p).filter((n) => !n.startsWith(LR_PREFIX));
  const x = prepareInputs(model, rows);
  try {
    const { value, grads } = tf.tidy(() => {
      const e = fieldEmbeddingTensor(model, params, x.tableRows, x.count);
      return tf.valueAndGrads((...xs: tf.Tensor[]) =>
        batchLoss(model, { ...p, ...Object.fromEntries(names.map((n, i) => [n, xs[i]])) }, x, xs[names.length] as tf.Tensor2D),
      )([...names.map((n) => p[n]), e]);
    });
    const gradient = new Float32Array(model.layout.totalSize);
    names.forEach((n, i) => {
      gradient.set(grads[i].dataSync() as Float32Array, layoutEntry(model.layout, n).offset);
    });
    scatterAddTableRows(model, gradient, x.tableRows, grads[names.length].dataSync() as Float32Array, 1);
    const loss = value.dataSync()[0];
    tf.dispose([value, ...grads]);
    return { gradient, loss, count: rows.count };
  } finally {
    tf.dispose(Object.values(p));
    disposeInputs(x);
  }
}

/** Options of `trainGlobal`. */
export interface TrainGlobalOptions {
  /** @defaultValue 30 */
  readonly epochs: number;
  /** Rows per minibatch. @defaultValue 256 */
  readonly batchSize: number;
  /** Adam learning rate. @defaultValue 1e-3 */
  readonly lr: number;
  /** @defaultValue 0 */
  readonly seed: number;
  readonly adam: Partial<Omit<AdamOptions, 'lr'>>;
  readonly onEpoch?: (epoch: number, meanLoss: number) => void;
}

/** Defaults as the reference's global baseline (Adam 1e-3, batch 256, 30 epochs). */
export const DEFAULT_TRAIN_GLOBAL_OPTIONS: TrainGlobalOptions = { epochs: 30, batchSize: 256, lr: 1e-3, seed: 0, adam: {} };

/**
 * The non-meta baseline: the same network trained by minibatch Adam on every training row (no inner
 * loop). Pair with `fineTune` for the "global + fine-tune" baseline.
 * @throws MetaLearningError `ML_ROWS_INVALID` (no rows), `ML_CONFIG_INVALID`, `ML_LOSS_CONSTANT`, `ML_LOSS_ZERO`, `ML_NON_FINITE`.
 */
export function trainGlobal(
  model: MetaModel,
  initial: FlatParams,
  rows: readonly EncodedRows[],
  options: Partial<TrainGlobalOptions> = {},
): { params: FlatParams; optimizerState: OptimizerState; epochLosses: Float32Array } {
  const o = { ...DEFAULT_TRAIN_GLOBAL_OPTIONS, ...options };
  if (!(Number.isInteger(o.batchSize) && o.batchSize >= 1 && Number.isInteger(o.epochs) && o.epochs >= 0 && o.lr > 0)) {
    throw new MetaLearningError('ML_CONFIG_INVALID', 'TrainGlobalOptions need integer batchSize >= 1, epochs >= 0 and lr > 0', { field: 'options' });
  }
  const all = concatRows(rows);
  if (all.count === 0) {
    throw new MetaLearningError('ML_ROWS_INVALID', 'trainGlobal needs at least one row', { field: 'rows' });
  }
  const rng = new SeededRng(o.seed);
  const health = new TrainingHealth();
  let params: FlatParams = initial.slice();
  let state = createOptimizerState(model.layout);
  const epochLosses: number[] = [];
  let step = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const order = rng.shuffle(Array.from({ length: all.count }, (_, i) => i));
    let sum = 0;
    for (let i = 0; i < order.length; i += o.batchSize) {
      const batch = selectRows(all, order.slice(i, i + o.batchSize), model.featureLayout);
      const r = globalStep(model, params, batch);
      health.recordLoss(step++, r.loss);
      const u = applyUpdate(params, state, r.gradient, { ...o.adam, lr: o.lr });
      params = u.params;
      state = u.state;
      sum += r.loss * batch.count;
    }
    epochLosses.push(sum / all.count);
    o.onEpoch?.(epoch, sum / all.count);
  }
  return { params, optimizerState: state, epochLosses: Float32Array.from(epochLosses) };
}
