// The pipeline's second look at the trainer's held-out users: the same tasks (rebuilt from the
// offline store with the run spec's data section), the model registered by the run with and without
// its local update, and a bias baseline the trainer does not compute (stronger than itemMean).
import type { FeatureLayout } from '@metarec/schemas';
import { createMetaModel, loadModelDir, type ModelConfig } from '@metarec/meta-learning';
import { offlineStoreTaskSet, parseRunSpec } from '@metarec/training';

import { baselineMae, modelMae, type BaselineMae } from '../study/held-out-metrics.js';

/** MAE on the trainer's held-out users' query ratings, every method on the same ratings. */
export interface HeldOutCheck {
  readonly users: number;
  /** The registered model after its local update on each support set (should equal the trainer's figure). */
  readonly adapted: number;
  /** The same model without the local update (the meta-learned prior from profile features only). */
  readonly unadapted: number;
  readonly baselines: BaselineMae;
}

/**
 * Rebuilds the run's tasks from `specJson` (the spec the trainer ran) and scores `modelDir` on its
 * held-out users (test, else validation, as the trainer) with the spec's inner steps and lr.
 * @throws TrainingError `TRAIN_SPEC_INVALID`, `TRAIN_DATA_EMPTY`; PersistenceError codes of `loadModelDir`.
 */
export async function heldOutCheck(specJson: unknown, modelDir: string): Promise<HeldOutCheck> {
  const spec = parseRunSpec(specJson);
  if (spec.data.kind !== 'offline-store') {
    throw new Error(`heldOutCheck needs an offline-store run spec, got data.kind ${spec.data.kind}`);
  }
  const tasks = await offlineStoreTaskSet(spec.data);
  const heldOut = tasks.test.length > 0 ? tasks.test : tasks.validation;
  const bundle = await loadModelDir(modelDir);
  const config = bundle.config as { readonly model: Partial<ModelConfig>; readonly featureLayout: FeatureLayout };
  const model = createMetaModel(config.featureLayout, config.model);
  return {
    users: heldOut.length,
    adapted: modelMae(model, bundle.params, heldOut, spec.inner.steps, spec.inner.lr),
    unadapted: modelMae(model, bundle.params, heldOut, 0, spec.inner.lr),
    baselines: baselineMae(tasks.train, heldOut),
  };
}
