import type { TrainingSet } from '../protocol/eval-task.js';

/** A trained global network's flat parameters and loss curve. */
export interface CachedNetwork {
  readonly params: Float32Array;
  readonly losses: readonly number[];
}

/**
 * Shares one globally trained network between the methods of a run that train the identical
 * network on the identical training set and seed (global net, global + fine-tune, and a
 * meta-learner pre-trained the same way), so it is trained once per seed, not three times.
 * Keyed by the training set's identity (weakly held) and a settings key.
 */
export class GlobalNetworkCache {
  private readonly entries = new WeakMap<TrainingSet, Map<string, CachedNetwork>>();

  /** The cached network for `(train, key)`, or the result of `train()` stored for the next caller. */
  getOrTrain(train: TrainingSet, key: string, fit: () => CachedNetwork): CachedNetwork {
    let byKey = this.entries.get(train);
    if (!byKey) {
      byKey = new Map();
      this.entries.set(train, byKey);
    }
    const hit = byKey.get(key);
    if (hit) {
      return hit;
    }
    const fresh = fit();
    byKey.set(key, fresh);
    return fresh;
  }
}
