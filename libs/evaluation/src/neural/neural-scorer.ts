import type { AdaptationSettings, LoadedParams } from '@metarec/meta-learning';
import { adapt, fineTune, score } from '@metarec/meta-learning';

import type { SupportSet } from '../recommender/recommender.js';
import type { RowEncoder } from './row-encoder.js';

/**
 * How a fitted network adapts to a user before scoring: the local update the model was meta-trained
 * with (`adapt`; learned rates on a Meta-SGD model), or the fine-tune baselines' fixed step size
 * (`fineTune`). Its settings are meta-learning's one `AdaptationSettings` (no shrinkage here).
 */
export interface UserAdaptation {
  readonly mode: 'adapt' | 'fine-tune';
  readonly settings: Pick<AdaptationSettings, 'steps' | 'lr'>;
}

/**
 * Adapts the fitted parameters to one user's support set (k SGD steps, nothing when the support
 * is empty) and scores `items` in one batched forward; releases the user's tensors.
 */
export function adaptAndScore(loaded: LoadedParams, encoder: RowEncoder, adaptation: UserAdaptation, user: number, support: SupportSet, items: Int32Array): Float32Array {
  const supportRows = encoder.rows(user, support.items, support.ratings);
  const adapted = adaptation.mode === 'fine-tune' ? fineTune(loaded, supportRows, adaptation.settings) : adapt(loaded, supportRows, adaptation.settings);
  try {
    const candidates = encoder.rows(user, items);
    const userFields = candidates.userIndices.subarray(0, encoder.layout.userFields.length);
    return score(adapted, userFields, candidates);
  } finally {
    adapted.dispose();
  }
}
