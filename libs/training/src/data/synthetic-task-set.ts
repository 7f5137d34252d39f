import { generateSynthetic } from '@metarec/datasets';

import { dataIdentityOf, type RunDataSpec } from '../spec/run-spec.js';
import { datasetTaskSet } from './dataset-task-set.js';
import type { TaskSet } from './task-set.js';

type SyntheticSpec = Extract<RunDataSpec, { kind: 'synthetic' }>;

/**
 * Tasks of a generated world (datasets' `generateSynthetic`, the one synthetic generator), built
 * exactly as offline-store data is (`datasetTaskSet`): same spec → same bytes and data version on
 * the coordinator and every worker. No stream was read, so there are no watermarks, and the world's
 * simulated event times are no data watermark either.
 * @throws TrainingError `TRAIN_DATA_EMPTY`; DatasetError `DS_INVALID_OPTION` naming a bad `data.world` option.
 */
export function syntheticTaskSet(spec: SyntheticSpec): TaskSet {
  const world = generateSynthetic({ ...spec.world, feedback: 'explicit' });
  const { newestMs: _newestMs, ...tasks } = datasetTaskSet(world, spec, {
    identity: { split: dataIdentityOf(spec) },
    label: `synthetic world (seed ${spec.world.seed ?? 0})`,
  });
  return { ...tasks, watermarks: [], dataWatermarkMs: null };
}
