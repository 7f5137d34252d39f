import type { MetaLoopState } from '@metarec/meta-learning';

/**
 * Everything the coordinator needs to continue a run exactly where a checkpoint left it: the
 * meta-training loop's state (step, epoch, batch in epoch, RNG at the epoch start, parameters, Adam
 * moments, best-validated parameters, early-stopping count, losses), plus what ties it to its run.
 */
export interface Checkpoint extends MetaLoopState {
  readonly runId: string;
  readonly dataVersion: string;
  readonly specHash: string;
}
