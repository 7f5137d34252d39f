import type { UserTask } from '@metarec/schemas';

import { metaStep, type MetaStepOptions } from '../algorithms/meta-step.js';
import { MetaLearningError } from '../errors.js';
import type { MetaModel } from '../model/meta-model.js';
import type { FlatParams } from '../params/param-layout.js';
import type { MetaBatch, MetaStepExecutor, StepOutcome } from './step-executor.js';

/** A {@link MetaStepExecutor} whose `step` is synchronous (usable by `runMetaTrainingSync`). */
export interface SyncStepExecutor extends MetaStepExecutor {
  step(params: FlatParams, batch: MetaBatch): StepOutcome;
}

/**
 * The single-thread executor: `metaStep` on the batch's tasks (the resampled ones when the batch
 * carries them, else `tasks[i]` for each index). `tasks` may be just their number when the loop's
 * `resample` hook supplies every batch's tasks (e.g. episodes re-split from another task type).
 * @throws MetaLearningError `ML_TASKS_EMPTY` (no tasks); per step `ML_CONFIG_INVALID` (a batch
 * without tasks when only a count was given) and whatever `metaStep` throws.
 */
export function inProcessExecutor(model: MetaModel, tasks: readonly UserTask[] | number, step: Partial<MetaStepOptions> = {}): SyncStepExecutor {
  const taskCount = typeof tasks === 'number' ? tasks : tasks.length;
  if (!(Number.isInteger(taskCount) && taskCount >= 1)) {
    throw new MetaLearningError('ML_TASKS_EMPTY', 'meta-training needs at least one training task', { field: 'tasks' });
  }
  const lookUp = (indices: readonly number[]): readonly UserTask[] => {
    if (typeof tasks === 'number') {
      throw new MetaLearningError('ML_CONFIG_INVALID', 'inProcessExecutor was given a task count only: the loop needs a `resample` hook that supplies the tasks', { field: 'resample' });
    }
    return indices.map((i) => tasks[i]);
  };
  return {
    taskCount,
    step(params, batch) {
      const r = metaStep(model, params, batch.tasks ?? lookUp(batch.taskIndices), step);
      return { loss: r.loss, gradient: r.gradient };
    },
  };
}
