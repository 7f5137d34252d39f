import type { UserTask } from '@metarec/schemas';

import type { FlatParams } from '../params/param-layout.js';

/** One meta-batch as the loop hands it to an executor. */
export interface MetaBatch {
  /** Index of the outer update this batch is for (0-based). */
  readonly step: number;
  /** Indices into the executor's training tasks, in the shuffled order. */
  readonly taskIndices: readonly number[];
  /** The tasks to use instead of looking the indices up, when the loop's `resample` hook re-drew them. */
  readonly tasks?: readonly UserTask[];
}

/** What an executor computes for one meta-batch at the current parameters. */
export interface StepOutcome {
  /** Mean meta-loss over the batch's tasks. */
  readonly loss: number;
  /** Mean meta-gradient over the batch's tasks, in the parameter layout (before Adam). */
  readonly gradient: FlatParams;
}

/**
 * Computes meta-gradients for the meta-training loop: in one thread (`inProcessExecutor`) or
 * sharded over workers (libs/training's coordinator). The loop owns everything else (batch order,
 * the Adam update, validation, stopping, checkpoints), so every executor trains the same way.
 */
export interface MetaStepExecutor {
  /** Number of training tasks the batch indices refer to. */
  readonly taskCount: number;
  /** Loss and meta-gradient of `batch` at `params`; must not keep or mutate `params`. */
  step(params: FlatParams, batch: MetaBatch): StepOutcome | Promise<StepOutcome>;
}
