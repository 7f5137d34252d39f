import { MetaLearningError } from '../errors.js';

/** Outer learning-rate schedule, evaluated per update step (0-based). */
export type LrSchedule =
  | { readonly kind: 'constant' }
  /** Linear warm-up over `warmupSteps`, then cosine from the base rate to `minLr` at `totalSteps` (held after). */
  | { readonly kind: 'cosine'; readonly totalSteps: number; readonly warmupSteps?: number; readonly minLr?: number }
  /** Multiply by `gamma` every `stepSize` steps. */
  | { readonly kind: 'step'; readonly stepSize: number; readonly gamma: number };

/**
 * Learning rate at update `step` (0-based) for base rate `baseLr`.
 * @throws MetaLearningError `ML_CONFIG_INVALID` for non-positive sizes.
 */
export function learningRateAt(baseLr: number, schedule: LrSchedule, step: number): number {
  switch (schedule.kind) {
    case 'constant':
      return baseLr;
    case 'step': {
      if (!(schedule.stepSize >= 1) || !(schedule.gamma > 0)) {
        throw new MetaLearningError('ML_CONFIG_INVALID', 'step schedule needs stepSize >= 1 and gamma > 0', { field: 'schedule' });
      }
      return baseLr * Math.pow(schedule.gamma, Math.floor(step / schedule.stepSize));
    }
    case 'cosine': {
      const warm = schedule.warmupSteps ?? 0;
      const minLr = schedule.minLr ?? 0;
      if (!(schedule.totalSteps >= 1) || warm < 0 || warm > schedule.totalSteps) {
        throw new MetaLearningError('ML_CONFIG_INVALID', 'cosine schedule needs totalSteps >= 1 and 0 <= warmupSteps <= totalSteps', { field: 'schedule' });
      }
      if (step < warm) {
        return (baseLr * (step + 1)) / warm;
      }
      const progress = Math.min(1, (step - warm) / Math.max(1, schedule.totalSteps - warm));
      return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * progress));
    }
  }
}
