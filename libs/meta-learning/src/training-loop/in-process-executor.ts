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
 * carries them, else `tasks[i]` for each index).
 * @throws MetaLearningError `ML_TASKS_EMPTY` (no tasks), and whatever `metaStep` throws per step.
 */
export function inProcessExecutor(model: MetaModel, tasks: readonly UserTask[], step: Partial<MetaStepOptions> = {}): SyncStepExecutor {
  if (tasks.length === 0) {
    throw new MetaLearningError('ML_TASKS_EMPTY', 'meta-training needs at least one training task', { field: 'tasks' });
  }
  return {
    taskCount: tasks.length,
    step(params, batch) {
      const r = metaStep(model, params, batch.tasks ?? batch.taskIndices.map((i) => tasks[i]), step);
      return { loss: r.loss, gradient: r.gradient };
    },
  };
}
