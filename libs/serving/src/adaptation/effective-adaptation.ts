import type { AdaptationSettings } from '@metarec/meta-learning';

/**
 * The local update a request adapts with: each field the operator set (`ADAPT_STEPS`, `ADAPT_LR`,
 * `ADAPT_SHRINKAGE`) over the settings the bundle's contract records. A meta-learned prior is tuned
 * for exactly the trained steps and step size, and its shrinkage was chosen on validation users for
 * them: adapting otherwise is a train/serve skew, so an override is for experiments and incidents.
 */
export function effectiveAdaptation(override: Partial<AdaptationSettings>, trained: AdaptationSettings): AdaptationSettings {
  return { steps: override.steps ?? trained.steps, lr: override.lr ?? trained.lr, shrinkage: override.shrinkage ?? trained.shrinkage };
}
