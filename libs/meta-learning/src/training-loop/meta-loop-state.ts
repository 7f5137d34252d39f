import { createOptimizerState, type OptimizerState } from '../optimizer/adam.js';
import type { FlatParams, ParamLayout } from '../params/param-layout.js';
import { SeededRng, type RngState } from '@metarec/runtime';

/**
 * Everything the meta-training loop needs to continue exactly where it stopped: a run started
 * from a saved state makes the same updates as one that never stopped. Arrays are replaced, never
 * mutated, by later steps, so a snapshot may be written in the background while training goes on.
 * Training's `Checkpoint` persists this state (plus run id, data version and spec hash).
 */
export interface MetaLoopState {
  /** Outer updates applied (the next step's index). */
  readonly step: number;
  /** Epoch of the next step, and the index of its batch within the epoch's batches. */
  readonly epoch: number;
  readonly batchInEpoch: number;
  /** RNG state before the current epoch's shuffle (the shuffle is recomputed on resume). */
  readonly rngAtEpochStart: RngState;
  readonly params: FlatParams;
  readonly optimizer: OptimizerState;
  /** Best-validated parameters so far (null before the first validation). */
  readonly best: { readonly params: FlatParams; readonly loss: number; readonly step: number } | null;
  /** Validations since the best one (early stopping). */
  readonly sinceBest: number;
  /** Mean meta-loss of every step so far. */
  readonly losses: readonly number[];
}

/** The state of a run that has not started: `params` as given, fresh Adam moments, the RNG seeded with `seed`. */
export function initialLoopState(layout: ParamLayout, params: FlatParams, seed: number): MetaLoopState {
  return {
    step: 0,
    epoch: 0,
    batchInEpoch: 0,
    rngAtEpochStart: new SeededRng(seed).state(),
    params: params.slice(),
    optimizer: createOptimizerState(layout),
    best: null,
    sinceBest: 0,
    losses: [],
  };
}
