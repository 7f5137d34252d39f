// The pipeline's second look at the trainer's held-out users: the same tasks (rebuilt from the
// offline store with the run spec's data section), the model registered by the run with and without
// its local update, and a bias baseline the trainer does not compute (stronger than itemMean).
// Every figure comes from libs/evaluation's protocol (the trainer's and metarec-eval's).
import { withFirstSupport } from '@metarec/datasets';
import { pairedDifference, queryMae, userTaskSplit } from '@metarec/evaluation';
import { loadModelBundle } from '@metarec/meta-learning';
import { offlineStoreTaskSet, parseRunSpec } from '@metarec/training';

import { baselineMae, baselineScores, maeOf, modelPredictions, modelScores, type BaselineMae, type BaselineName } from '../study/held-out-scores.js';
import { meanAbsoluteShift, withUnknownQueryItems } from '../study/unknown-items.js';

/** MAE on the trainer's held-out users' query ratings, every method on the same ratings. */
export interface HeldOutCheck {
  readonly users: number;
  /** The registered model after its local update on each support set (should equal the trainer's figure). */
  readonly adapted: number;
  /** The same model without the local update (the meta-learned prior from profile features only). */
  readonly unadapted: number;
  readonly baselines: BaselineMae;
  /**
   * The adapted model against the best baseline here, paired by user: mean per-user difference of
   * MAE (negative: the model is better) and its standard error across users.
   */
  readonly vsBest: { readonly baseline: BaselineName; readonly difference: number; readonly se: number };
  /** Support-size shrinkage κ of the local update (the calibrated one the bundle's contract records). */
  readonly shrinkage: number;
  /** The cold-start curve: each held-out user's first `support` support ratings only (same query ratings). */
  readonly curve: readonly { readonly support: number; readonly model: number; readonly bias: number }[];
  /**
   * The same adapted query ratings with each query item scored as a new item (`item_id` replaced by
   * unknown, content unchanged): MAE and the mean absolute change of the prediction (stars). Null
   * without an `item_id` field.
   */
  readonly unknownItems: { readonly adapted: number; readonly meanAbsShift: number } | null;
}

/** Support sizes of the curve: none, a new user's first few answers, a short history. */
export const CURVE_SUPPORT_SIZES = [0, 1, 3, 10] as const;

/**
 * Rebuilds the run's tasks from `specJson` (the spec the trainer ran) and scores `modelDir` on its
 * held-out users (test, else validation, as the trainer) with the adaptation settings of the bundle's
 * contract: the spec's inner steps and lr and the shrinkage the trainer calibrated (what serving adapts with).
 * @throws TrainingError `TRAIN_SPEC_INVALID`, `TRAIN_DATA_EMPTY`; PersistenceError codes of `loadModelBundle`.
 */
export async function heldOutCheck(specJson: unknown, modelDir: string): Promise<HeldOutCheck> {
  const spec = parseRunSpec(specJson);
  if (spec.data.kind !== 'offline-store') {
    throw new Error(`heldOutCheck needs an offline-store run spec, got data.kind ${spec.data.kind}`);
  }
  const tasks = await offlineStoreTaskSet(spec.data);
  const heldOut = tasks.test.length > 0 ? tasks.test : tasks.validation;
  const bundle = await loadModelBundle(modelDir);
  const model = bundle.model;
  const { steps, lr, shrinkage } = bundle.contract.adaptation;
  const update = { steps, lr, shrinkage };
  // The trainer's scale for the same data (the wire schema's rating bounds): the same clipping as its figures.
  const scale = tasks.ratingScale;
  const curve = [];
  for (const support of CURVE_SUPPORT_SIZES) {
    const truncated = userTaskSplit(tasks.train, heldOut.map((t) => withFirstSupport(t, support)));
    curve.push({ support, model: maeOf(await modelScores(model, bundle.params, truncated, update, scale), scale), bias: (await baselineMae(truncated, scale)).bias });
  }
  const split = userTaskSplit(tasks.train, heldOut);
  const adapted = await modelScores(model, bundle.params, split, update, scale);
  let unknownItems: HeldOutCheck['unknownItems'] = null;
  if (tasks.featureLayout.itemFields.some((f) => f.name === 'item_id')) {
    const unknownTasks = withUnknownQueryItems(tasks.featureLayout, heldOut);
    const known = modelPredictions(model, bundle.params, heldOut, update);
    const unknown = modelPredictions(model, bundle.params, unknownTasks, update);
    unknownItems = { adapted: queryMae(unknown, unknownTasks), meanAbsShift: meanAbsoluteShift(unknown, known) };
  }
  const scores = await baselineScores(split, scale);
  const baselines = Object.fromEntries(Object.entries(scores).map(([name, s]) => [name, maeOf(s, scale)])) as Record<BaselineName, number>;
  const names = Object.keys(baselines) as BaselineName[];
  const best = names.reduce((a, b) => (baselines[b] < baselines[a] ? b : a));
  const vsBest = pairedDifference(
    adapted.map((t) => t.absErrors),
    scores[best].map((t) => t.absErrors),
  );
  return {
    shrinkage,
    curve,
    unknownItems,
    users: heldOut.length,
    adapted: maeOf(adapted, scale),
    unadapted: maeOf(await modelScores(model, bundle.params, split, { steps: 0, lr }, scale), scale),
    baselines,
    vsBest: { baseline: best, difference: vsBest.mean, se: vsBest.se },
  };
}

