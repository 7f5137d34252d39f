import type { TrainingSet } from '../protocol/eval-task.js';
import type { FitReport, Recommender } from '../recommender/recommender.js';
import { ratingRange } from './rating-range.js';

/** Predicts the mean training rating for everything (its rankings are all ties = random). */
export class GlobalMeanRecommender implements Recommender {
  readonly name = 'global_mean';
  readonly predictsRatings = true;
  private mean = Number.NaN;

  fit(train: TrainingSet): FitReport {
    this.mean = ratingRange(train.ratings).mean;
    return {};
  }

  predict(_user: number, _support: unknown, items: Int32Array): Float32Array {
    return new Float32Array(items.length).fill(this.mean);
  }
}
