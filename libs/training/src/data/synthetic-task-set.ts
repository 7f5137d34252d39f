import { createHash } from 'node:crypto';

import { createSyntheticTasks, syntheticLayout } from '@metarec/meta-learning';
import { applyIdDropout } from '@metarec/datasets';
import { InteractionSchema } from '@metarec/schemas';

import { TrainingError } from '../errors.js';
import { dataIdentityOf, type RunDataSpec } from '../spec/run-spec.js';
import type { TaskSet } from './task-set.js';

type SyntheticTasksSpec = Extract<RunDataSpec, { kind: 'synthetic-tasks' }>;

/**
 * Deterministic synthetic tasks (same spec → same bytes on every worker): train, validation and
 * test users are consecutive slices of one generated list. With `idDropout` > 0 the training slice's
 * first item field (`i0`, standing in for the item id) is dropped to unknown, seeded by `seed`.
 * @throws TrainingError `TRAIN_DATA_EMPTY` when no training task is requested.
 */
export function syntheticTaskSet(spec: SyntheticTasksSpec): TaskSet {
  const featureLayout = syntheticLayout({ userFields: spec.userFields, itemFields: spec.itemFields, cardinality: spec.cardinality });
  const total = spec.trainTasks + spec.validationTasks + spec.testTasks;
  if (spec.trainTasks < 1) {
    throw new TrainingError('TRAIN_DATA_EMPTY', 'synthetic data needs trainTasks >= 1', { field: 'data.trainTasks' });
  }
  const tasks = createSyntheticTasks(featureLayout, { tasks: total, support: spec.support, query: spec.query, seed: spec.seed, labels: spec.labels });
  const v = spec.trainTasks;
  const t = v + spec.validationTasks;
  const train = tasks.slice(0, v);
  return {
    featureLayout,
    train: spec.idDropout > 0 ? applyIdDropout(train, featureLayout, { probability: spec.idDropout, seed: spec.seed, fields: ['i0'] }) : train,
    validation: tasks.slice(v, t),
    test: tasks.slice(t),
    dataVersion: `sha256:${createHash('sha256').update(JSON.stringify(dataIdentityOf(spec))).digest('hex')}`,
    watermarks: [],
    dataWatermarkMs: null,
    schemaFingerprint: InteractionSchema.fingerprint,
    vocabularies: { synthetic: featureLayout },
  };
}
