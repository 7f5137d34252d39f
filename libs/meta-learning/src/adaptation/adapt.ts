import * as tf from '@tensorflow/tfjs';
import type { EncodedRows } from '@metarec/schemas';

import { MetaLearningError } from '../errors.js';
import { embedRows } from '../model/forward.js';
import { fieldEmbeddingTensor, localTableTensor, type TableRowOverrides } from '../model/host-embeddings.js';
import { PARAM_NAMES } from '../model/meta-model.js';
import { disposeInputs, prepareInputs } from '../model/model-inputs.js';
import type { NamedTensors } from '../params/flat-params.js';
import { adaptsDecisionLayersOnly, innerLoop } from './inner-loop.js';
import { tapeFreeDecisionLoop } from './tape-free-inner-loop.js';
import { type AdaptationSettings, DEFAULT_ADAPTATION_SETTINGS } from './adaptation-settings.js';
import type { LoadedParams } from './serving-params.js';

/**
 * Options of `adapt`: any subset of the adaptation settings; the rest come from
 * {@link DEFAULT_ADAPTATION_SETTINGS}.
 */
export type AdaptOptions = Partial<AdaptationSettings>;

/** The factor {@link AdaptationSettings.shrinkage} puts on each step for `n` support rows: n / (n + κ). */
export function shrinkageStepScale(n: number, shrinkage: number): number {
  return shrinkage === 0 ? 1 : n / (n + shrinkage);
}

/**
 * One user's parameters: only the adapted tensors (MeLU: the decision MLP, ~20 k floats) over the
 * shared base. Holds device memory: call `dispose()` when done (the base is never disposed here).
 */
export interface AdaptedUser {
  readonly base: LoadedParams;
  /** Adapted tensors, overriding `base.tensors` by name. */
  readonly overrides: Readonly<NamedTensors>;
  /** Whole-model adaptation: adapted `emb/categorical` rows (the support's), overriding the base table; else null. */
  readonly tableRows: TableRowOverrides | null;
  dispose(): void;
}

/**
 * `adapt(params, support, steps) → userParams`: k SGD steps on the support rows. With decision-layer
 * adaptation the support embeddings are looked up once on the host and each step runs only the MLP,
 * forward and hand-written backward, with no tape (`tapeFreeDecisionLoop`); whole-model adaptation
 * tapes the adapted parameters only (`tf.grads` over a local table of the support's rows). Zero support rows or zero steps return the base parameters.
 * @throws MetaLearningError `ML_CONFIG_INVALID`, `ML_ROWS_INVALID`; RangeError for malformed rows.
 */
export function adapt(base: LoadedParams, support: EncodedRows, options: AdaptOptions = {}): AdaptedUser {
  return adaptWith(base, support, { ...DEFAULT_ADAPTATION_SETTINGS, ...options }, false);
}

/** `adapt` with all settings given; `forceLr` makes a Meta-SGD model use `lr` (the fine-tuning baseline). */
function adaptWith(base: LoadedParams, support: EncodedRows, o: AdaptationSettings, forceLr: boolean): AdaptedUser {
  if (!Number.isInteger(o.steps) || o.steps < 0 || !(o.lr >= 0) || !(o.shrinkage >= 0 && Number.isFinite(o.shrinkage))) {
    throw new MetaLearningError('ML_CONFIG_INVALID', 'AdaptationSettings need integer steps >= 0 and lr, shrinkage >= 0', { field: 'options' });
  }
  const model = base.model;
  if (o.steps === 0 || support.count === 0) {
    return { base, overrides: {}, tableRows: null, dispose: (): void => undefined };
  }
  const x = prepareInputs(model, support);
  // The local update never had an L2 term at request time (no caller set one): 0 keeps that.
  const spec = { steps: o.steps, lr: o.lr, l2: 0, names: model.adaptedNames, learnedLr: model.config.metaSgd && !forceLr, stepScale: shrinkageStepScale(support.count, o.shrinkage) };
  let fast: NamedTensors;
  try {
    fast = tf.tidy(() => {
      if (adaptsDecisionLayersOnly(model, model.adaptedNames)) {
        const p = base.tensors as NamedTensors;
        const hs = embedRows(model, p, x, fieldEmbeddingTensor(model, base.flat, x.tableRows, x.count));
        return tapeFreeDecisionLoop(model, p, hs, x.labels, spec);
      }
      const p = { ...(base.tensors as NamedTensors), [PARAM_NAMES.categoricalTable]: localTableTensor(model, base.flat, x.uniqueRows) };
      return innerLoop(model, p, x, null, spec).fast;
    });
  } finally {
    disposeInputs(x);
  }
  return adaptedUser(base, fast, x.uniqueRows);
}

/** Moves an adapted local table to host row overrides (small: the support's rows only). */
function adaptedUser(base: LoadedParams, fast: NamedTensors, uniqueRows: Int32Array): AdaptedUser {
  const d = base.model.config.embeddingDim;
  const localTable = fast[PARAM_NAMES.categoricalTable];
  let tableRows: Map<number, Float32Array> | null = null;
  if (localTable !== undefined) {
    const values = localTable.dataSync() as Float32Array;
    tableRows = new Map();
    uniqueRows.forEach((row, i) => tableRows?.set(row, values.slice(i * d, i * d + d)));
    localTable.dispose();
    delete fast[PARAM_NAMES.categoricalTable];
  }
  let disposed = false;
  return {
    base,
    overrides: fast,
    tableRows,
    dispose(): void {
      if (!disposed) {
        disposed = true;
        tf.dispose(Object.values(fast));
      }
    },
  };
}

/**
 * The "global + fine-tune" baseline: `adapt` at a fixed step size, whatever the model learned.
 */
export function fineTune(base: LoadedParams, support: EncodedRows, options: Pick<AdaptationSettings, 'steps' | 'lr'>): AdaptedUser {
  return adaptWith(base, support, { steps: options.steps, lr: options.lr, shrinkage: 0 }, true);
}
