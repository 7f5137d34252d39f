import type { TrainingSet } from '../protocol/eval-task.js';
import type { FitReport, Recommender, SupportSet } from '../recommender/recommender.js';
import { itemRatingTotals } from './item-rating-totals.js';
import { ratingRange } from './rating-range.js';

/** Options of {@link DampedBiasRecommender}. */
export interface DampedBiasOptions {
  /** Pseudo-ratings at the mean added to every item's and user's offset, so rare ones stay near 0. @defaultValue 5 */
  readonly damping?: number;
}

/** Default {@link DampedBiasOptions}. */
export const DEFAULT_DAMPED_BIAS_OPTIONS: Required<DampedBiasOptions> = { damping: 5 };

/**
 * One-pass damped baseline predictor (Koren, "Factor in the neighbors", 2010, §2.1): μ + b_i + b_u
 * with b_i = Σ(r − μ)/(n_i + λ) over training ratings and b_u = Σ(r − μ − b_i)/(n_u + λ) over the
 * user's support ratings. Closed form, no tuning: the cheap "bias" bar of the pipeline's held-out
 * check (the tuned ridge `bias` of {@link baselineFactory} fits the same model by alternating least squares).
 */
export class DampedBiasRecommender implements Recommender {
  readonly name = 'damped_bias';
  readonly predictsRatings = true;
  private readonly options: Required<DampedBiasOptions>;
  private mean = Number.NaN;
  private itemOffsets = new Float64Array(0);

  constructor(options: DampedBiasOptions = {}) {
    this.options = { ...DEFAULT_DAMPED_BIAS_OPTIONS, ...options };
  }

  fit(train: TrainingSet): FitReport {
    const mu = ratingRange(train.ratings).mean;
    const { sum, count } = itemRatingTotals(train);
    this.mean = train.ratings.length === 0 ? 0 : mu;
    // Σ(r − μ) = Σr − n·μ: the damped item mean's totals, offset from the mean.
    this.itemOffsets = Float64Array.from(sum, (s, i) => (s - count[i] * this.mean) / (count[i] + this.options.damping));
    return {};
  }

  predict(_user: number, support: SupportSet, items: Int32Array): Float32Array {
    let residual = 0;
    for (let r = 0; r < support.items.length; r++) {
      residual += support.ratings[r] - this.mean - this.itemOffset(support.items[r]);
    }
    const userOffset = residual / (support.items.length + this.options.damping);
    return Float32Array.from(items, (i) => this.mean + this.itemOffset(i) + userOffset);
  }

  /** The training ratings' mean μ (after `fit`). */
  get globalMean(): number {
    return this.mean;
  }

  /** Pseudo-ratings at the mean added to every offset. */
  get damping(): number {
    return this.options.damping;
  }

  /** Item `item`'s damped offset b_i; unseen items (indices past the training catalogue) have none. */
  itemOffset(item: number): number {
    return item < this.itemOffsets.length ? this.itemOffsets[item] : 0;
  }
}
