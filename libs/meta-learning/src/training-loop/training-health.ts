import { MetaLearningError } from '../errors.js';

/** Thresholds of the training-health guards. */
export interface HealthGuardOptions {
  /** Consecutive steps over which an unchanging loss means a broken run. @defaultValue 20 */
  readonly constantWindow: number;
  /** Relative spread (max − min)/max(1, |mean|) below which the window counts as constant. @defaultValue 1e-9 */
  readonly constantTolerance: number;
  /** Consecutive steps with loss ≤ 1e-12 that mean a degenerate target or a leak. @defaultValue 3 */
  readonly zeroWindow: number;
}

/** Defaults of the guards. */
export const DEFAULT_HEALTH_GUARD_OPTIONS: HealthGuardOptions = { constantWindow: 20, constantTolerance: 1e-9, zeroWindow: 3 };

/**
 * Stops a run that cannot be reporting anything real: a meta-loss that stays exactly constant
 * (parameters not moving, labels constant) or zero (labels leaked into features), or a bounded
 * metric at 1.0 (a perfect nDCG/AUC on held-out users means a leak, not a model).
 */
export class TrainingHealth {
  private readonly losses: number[] = [];
  private readonly o: HealthGuardOptions;

  constructor(options: Partial<HealthGuardOptions> = {}) {
    this.o = { ...DEFAULT_HEALTH_GUARD_OPTIONS, ...options };
  }

  /** @throws MetaLearningError `ML_LOSS_ZERO` or `ML_LOSS_CONSTANT` with the window in `details`. */
  recordLoss(step: number, loss: number): void {
    this.losses.push(loss);
    const keep = Math.max(this.o.constantWindow, this.o.zeroWindow);
    if (this.losses.length > keep) {
      this.losses.shift();
    }
    const lastZero = this.losses.slice(-this.o.zeroWindow);
    if (lastZero.length === this.o.zeroWindow && lastZero.every((l) => Math.abs(l) <= 1e-12)) {
      throw new MetaLearningError('ML_LOSS_ZERO', `meta-loss has been 0 for ${this.o.zeroWindow} steps (up to step ${step}): degenerate labels or a leak`, {
        step,
      });
    }
    const w = this.losses.slice(-this.o.constantWindow);
    if (w.length === this.o.constantWindow) {
      const mean = w.reduce((a, b) => a + b, 0) / w.length;
      const spread = Math.max(...w) - Math.min(...w);
      if (spread / Math.max(1, Math.abs(mean)) <= this.o.constantTolerance) {
        throw new MetaLearningError('ML_LOSS_CONSTANT', `meta-loss stayed at ${mean} for ${w.length} steps (up to step ${step}): parameters are not learning`, {
          step,
          loss: mean,
        });
      }
    }
  }

  /** @throws MetaLearningError `ML_METRIC_SATURATED` naming the metric. */
  recordBoundedMetrics(step: number, metrics: Readonly<Record<string, number>>): void {
    for (const [name, value] of Object.entries(metrics)) {
      if (value >= 1 - 1e-12) {
        throw new MetaLearningError('ML_METRIC_SATURATED', `validation metric ${name} reached ${value} at step ${step}: check for a leak`, {
          step,
          metric: name,
          value,
        });
      }
    }
  }
}
