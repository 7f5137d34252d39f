import type { LoadedParams } from '@metarec/meta-learning';
import { adapt, fineTune, score } from '@metarec/meta-learning';

import type { SupportSet } from '../recommender/recommender.js';
import type { RowEncoder } from './row-encoder.js';

/** How a fitted network adapts to a user before scoring. */
export interface AdaptationSpec {
  readonly steps: number;
  readonly lr: number;
  /** Fixed step size even on a Meta-SGD model (fine-tune baselines). */
  readonly forceLr: boolean;
}

/**
 * Adapts the fitted parameters to one user's support set (k SGD steps, nothing when the support
 * is empty) and scores `items` in one batched forward; releases the user's tensors.
 */
export function adaptAndScore(loaded: LoadedParams, encoder: RowEncoder, spec: AdaptationSpec, user: number, support: SupportSet, items: Int32Array): Float32Array {
  const supportRows = encoder.rows(user, support.items, support.ratings);
  const adapted = spec.forceLr ? fineTune(loaded, supportRows, { steps: spec.steps, lr: spec.lr }) : adapt(loaded, supportRows, { steps: spec.steps, lr: spec.lr });
  try {
    const candidates = encoder.rows(user, items);
    const userFields = candidates.userIndices.subarray(0, encoder.layout.userFields.length);
    return score(adapted, userFields, candidates);
  } finally {
    adapted.dispose();
  }
}
