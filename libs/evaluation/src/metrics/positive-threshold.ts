import type { RatingScale } from '@metarec/datasets';

import { EvalConfigError } from '../errors.js';

/**
 * Where "liked" starts on a rating scale, as a share of its range: 4 stars on 1–5 is
 * 1 + 0.75 · (5 − 1), the threshold MeLU-style ranking metrics use on MovieLens.
 */
export const POSITIVE_SCALE_POSITION = 0.75;

/** The ranking positive threshold in force and where it came from. */
export interface PositiveThreshold {
  readonly value: number;
  /** `scale`: derived by {@link positiveThresholdOf}; `option`: given by the caller. */
  readonly source: 'scale' | 'option';
}

/** The default positive threshold of `scale`: min + 0.75 · (max − min) (1–5 → 4, 0.5–5 → 3.875, 0–10 → 7.5). */
export function positiveThresholdOf(scale: RatingScale): number {
  return scale.min + POSITIVE_SCALE_POSITION * (scale.max - scale.min);
}

/**
 * The threshold a run uses: `override` when given, else {@link positiveThresholdOf} `scale`.
 * @throws EvalConfigError `EVAL_CONFIG_INVALID` when `override` is not a finite number inside [min, max].
 */
export function resolvePositiveThreshold(scale: RatingScale, override?: number): PositiveThreshold {
  if (override === undefined) {
    return { value: positiveThresholdOf(scale), source: 'scale' };
  }
  if (!(Number.isFinite(override) && override >= scale.min && override <= scale.max)) {
    throw new EvalConfigError('EVAL_CONFIG_INVALID', `positiveThreshold must be a number inside the rating scale ${scale.min}..${scale.max}, got ${override}`);
  }
  return { value: override, source: 'option' };
}
