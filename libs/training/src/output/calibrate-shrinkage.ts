import { withFirstSupport, type SupportSize } from '@metarec/datasets';
import { adaptedQueryPredictions, queryMae } from '@metarec/evaluation';
import { loadParams, type MetaModel } from '@metarec/meta-learning';
import type { UserTask } from '@metarec/schemas';

import { TrainingError } from '../errors.js';

/**
 * Support sizes the shrinkage is judged on, equally weighted: a user's first rating, first few, a
 * short history and the whole support — the range of users a cold-start recommender serves.
 */
export const CALIBRATION_SUPPORT_SIZES: readonly SupportSize[] = [1, 3, 10, 'all'];

/** One candidate κ and how it did. */
export interface ShrinkageCandidate {
  readonly shrinkage: number;
  /** Validation MAE per {@link ShrinkageCalibration.supportSizes} entry. */
  readonly maeBySupport: readonly number[];
  /** Their mean: what the choice minimises. */
  readonly mean: number;
}

/** The κ chosen on validation users and the evidence. */
export interface ShrinkageCalibration {
  readonly shrinkage: number;
  readonly users: number;
  readonly supportSizes: readonly SupportSize[];
  readonly candidates: readonly ShrinkageCandidate[];
}

/** Options of {@link calibrateShrinkage}. */
export interface CalibrateShrinkageOptions {
  /** The local update the model was meta-trained with. */
  readonly steps: number;
  readonly lr: number;
  /** Candidate κ values (≥ 0; 0 is always tried as well). */
  readonly grid: readonly number[];
  /** @defaultValue {@link CALIBRATION_SUPPORT_SIZES} */
  readonly supportSizes?: readonly SupportSize[];
}

/**
 * Picks the support-size shrinkage κ (meta-learning's `AdaptOptions.shrinkage`) with the lowest
 * mean validation MAE over `supportSizes` (each user's first k support ratings as support, the
 * same query ratings); ties go to the smaller κ. Because 0 (no shrinkage) is always a candidate,
 * the chosen κ is never worse than none on the validation users. Deterministic.
 * @throws TrainingError `TRAIN_SPEC_INVALID` for a negative or non-finite κ, `TRAIN_DATA_EMPTY` without users.
 */
export function calibrateShrinkage(model: MetaModel, params: Float32Array, users: readonly UserTask[], options: CalibrateShrinkageOptions): ShrinkageCalibration {
  if (users.length === 0) {
    throw new TrainingError('TRAIN_DATA_EMPTY', 'shrinkage calibration needs validation users', { field: 'validation' });
  }
  const bad = options.grid.find((k) => !(k >= 0 && Number.isFinite(k)));
  if (bad !== undefined) {
    throw new TrainingError('TRAIN_SPEC_INVALID', `shrinkageGrid values must be finite and >= 0, got ${bad}`, { field: 'shrinkageGrid' });
  }
  const grid = [...new Set([0, ...options.grid])].sort((a, b) => a - b);
  const supportSizes = options.supportSizes ?? CALIBRATION_SUPPORT_SIZES;
  const cuts = supportSizes.map((size) => users.map((t) => withFirstSupport(t, size)));
  const base = loadParams(model, params);
  try {
    const candidates = grid.map((shrinkage): ShrinkageCandidate => {
      const maeBySupport = cuts.map((tasks) => queryMae(adaptedQueryPredictions(base, tasks, { steps: options.steps, lr: options.lr, shrinkage }), tasks));
      return { shrinkage, maeBySupport, mean: maeBySupport.reduce((a, b) => a + b, 0) / maeBySupport.length };
    });
    const best = candidates.reduce((a, b) => (b.mean < a.mean ? b : a));
    return { shrinkage: best.shrinkage, users: users.length, supportSizes, candidates };
  } finally {
    base.dispose();
  }
}

