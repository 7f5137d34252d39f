import type { TrainingSet } from '../protocol/eval-task.js';
import type { FitReport, Recommender, SupportSet } from '../recommender/recommender.js';
import { ratingRange } from './rating-range.js';

/**
 * Predicts the mean of the user's support ratings for every item (its rankings are all ties);
 * a user without support ratings gets the training mean. The "personal average" baseline of
 * MeLU's held-out users: it sees the same support set the meta-learner adapts on.
 */
export class UserMeanRecommender implements Recommender {
  readonly name = 'user_mean';
  readonly predictsRatings = true;
  private mean = Number.NaN;

  fit(train: TrainingSet): FitReport {
    this.mean = ratingRange(train.ratings).mean;
    return {};
  }

  predict(_user: number, support: SupportSet, items: Int32Array): Float32Array {
    let sum = 0;
    for (const r of support.ratings) {
      sum += r;
    }
    return new Float32Array(items.length).fill(support.ratings.length === 0 ? this.mean : sum / support.ratings.length);
  }
}
