import { applyUpdate, type AdamOptions, type OptimizerState } from '@metarec/meta-learning';

import type { DecodedBlob } from '../blobs/blob-codec.js';
import { aggregateShards } from './shard-plan.js';

/** What {@link aggregateAndUpdate} returns: the new parameters and Adam state, and the step's loss. */
export interface OuterUpdate {
  readonly params: Float32Array;
  readonly state: OptimizerState;
  /** Task-weighted mean meta-loss of the shards. */
  readonly loss: number;
  readonly taskCount: number;
  /** L2 norm of the gradient after value clipping and L2, before norm clipping. */
  readonly gradNorm: number;
  /** True when norm clipping rescaled the gradient. */
  readonly clipped: boolean;
}

/**
 * The coordinator's outer update: `aggregateShards` (task-weighted mean) then meta-learning's
 * `applyUpdate` — the same Adam as in-process `metaTrain`, so distributed and in-process runs
 * cannot drift apart through two optimizer implementations (~5 ms at MeLU size).
 * @throws TrainingError `TRAIN_OPTIONS_INVALID` (no shards), `TRAIN_BLOB_CORRUPT` (lengths differ);
 * MetaLearningError `ML_SIZE_MISMATCH`, `ML_CONFIG_INVALID`, `ML_NON_FINITE` as `applyUpdate`.
 */
export function aggregateAndUpdate(shards: readonly DecodedBlob[], params: Float32Array, state: OptimizerState, options: Partial<AdamOptions> & { lr: number }): OuterUpdate {
  const aggregate = aggregateShards(shards);
  const update = applyUpdate(params, state, aggregate.gradient, options);
  return { params: update.params, state: update.state, loss: aggregate.loss, taskCount: aggregate.taskCount, gradNorm: update.gradNorm, clipped: update.clipped };
}
