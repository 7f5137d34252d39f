import type { TrainingSet } from '../protocol/eval-task.js';
import type { FitReport, Recommender } from '../recommender/recommender.js';
import { itemRatingTotals } from './item-rating-totals.js';
import { ratingRange } from './rating-range.js';

/** Options of {@link ItemMeanRecommender}. */
export interface ItemMeanOptions {
  /** Pseudo-ratings at the global mean added to every item (damped mean), so rare items are not extreme. @defaultValue 5 */
  readonly shrinkage?: number;
}

/** Default {@link ItemMeanOptions}. */
export const DEFAULT_ITEM_MEAN_OPTIONS: Required<ItemMeanOptions> = { shrinkage: 5 };

/**
 * Damped item mean: (Σ r + λ·μ) / (n + λ); unseen items get μ. Ignores the support set — the
 * "no personalisation" baseline.
 */
export class ItemMeanRecommender implements Recommender {
  readonly name = 'item_mean';
  readonly predictsRatings = true;
  private readonly options: Required<ItemMeanOptions>;
  private means = new Float32Array(0);

  constructor(options: ItemMeanOptions = {}) {
    this.options = { ...DEFAULT_ITEM_MEAN_OPTIONS, ...options };
  }

  fit(train: TrainingSet): FitReport {
    const mu = ratingRange(train.ratings).mean;
    const { sum, count } = itemRatingTotals(train);
    const lambda = this.options.shrinkage;
    this.means = Float32Array.from(sum, (s, i) => (s + lambda * mu) / (count[i] + lambda));
    return {};
  }

  predict(_user: number, _support: unknown, items: Int32Array): Float32Array {
    return Float32Array.from(items, (i) => this.means[i]);
  }
}

/**
 * Ranks by the number of training ratings (popularity) — a ranking-only scorer, strong on
 * sampled-negative metrics; reports no rating error.
 */
export class PopularityRecommender implements Recommender {
  readonly name = 'popularity';
  readonly predictsRatings = false;
  private counts = new Float32Array(0);

  fit(train: TrainingSet): FitReport {
    this.counts = new Float32Array(train.itemCount);
    for (const item of train.items) {
      this.counts[item]++;
    }
    return {};
  }

  predict(_user: number, _support: unknown, items: Int32Array): Float32Array {
    return Float32Array.from(items, (i) => this.counts[i]);
  }
}
