import type { RngState } from '@metarec/runtime';

/** Everything the coordinator needs to continue a run exactly where a checkpoint left it. */
export interface Checkpoint {
  readonly runId: string;
  /** Meta-steps applied (the next step's index). */
  readonly step: number;
  /** Epoch of the next step, and the index of its batch within the epoch's batches. */
  readonly epoch: number;
  readonly batchInEpoch: number;
  /** RNG state before the current epoch's shuffle (the shuffle is recomputed on resume). */
  readonly rngAtEpochStart: RngState;
  readonly params: Float32Array;
  readonly optimizer: { readonly step: number; readonly m: Float32Array; readonly v: Float32Array };
  /** Best-validated parameters so far (null before the first validation). */
  readonly best: { readonly params: Float32Array; readonly loss: number; readonly step: number } | null;
  /** Validations since the best one (early stopping). */
  readonly sinceBest: number;
  /** Mean meta-loss of every step so far. */
  readonly losses: readonly number[];
  readonly dataVersion: string;
  readonly specHash: string;
}
