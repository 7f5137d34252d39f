/**
 * The local update a meta-learned prior is adapted to one user with: the one description of it that
 * training records in the model bundle, serving reads back (with operator overrides) and `adapt` runs.
 * Which layers adapt is not here: it is the model's `ModelConfig.adapt`, because it also shapes the
 * parameter layout (Meta-SGD learns a rate per adapted element).
 */
export interface AdaptationSettings {
  /** Inner SGD steps on the support rows. @defaultValue 5 */
  readonly steps: number;
  /** Step size; ignored by Meta-SGD models, which use their learned rates. @defaultValue 0.01 */
  readonly lr: number;
  /**
   * Support-size shrinkage κ, in ratings: every step is scaled by n / (n + κ) for n support rows,
   * as if the prior counted as κ ratings, so one rating moves the user model far less than fifty
   * (the mean support loss gives one rating the pull of a whole history; five steps on it overshoot).
   * It is the posterior-mean shrinkage of a user's deviation towards the prior. Chosen on validation
   * users after meta-training (`calibrateShrinkage` of `@metarec/training`) and carried in the bundle.
   * 0: off (MeLU). @defaultValue 0
   */
  readonly shrinkage: number;
}

/** MeLU's local update (Lee et al. 2019): 5 steps at 0.01, no shrinkage. */
export const DEFAULT_ADAPTATION_SETTINGS: AdaptationSettings = { steps: 5, lr: 0.01, shrinkage: 0 };

