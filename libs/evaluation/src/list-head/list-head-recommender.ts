import { listHeadRatings, listHeadScores, type ListHead } from '@metarec/meta-learning';

import type { TrainingSet } from '../protocol/eval-task.js';
import type { FitContext, FitReport, Recommender, SupportSet } from '../recommender/recommender.js';
import type { ItemFeatureRows } from '../held-out/item-feature-rows.js';
import { headItems, headRequest, type HeadItems } from './head-request.js';

/**
 * A rating model with a {@link ListHead} on top, as serving runs it: ratings are the head's stack of
 * the model's with the damped bias model, the list order (`rank`) is the head's over the model's
 * scores, the user's items, popularity and content. `rank` right after `predict` on the same arrays
 * (as `scoreTask` calls them) reuses the model's predictions instead of adapting again.
 */
export class ListHeadRecommender implements Recommender {
  readonly name: string;
  readonly predictsRatings: boolean;
  private readonly at: HeadItems;
  private last: { support: SupportSet; items: Int32Array; scores: Float32Array } | undefined;

  constructor(
    private readonly inner: Recommender,
    private readonly head: ListHead,
    features: ItemFeatureRows,
  ) {
    this.name = inner.name;
    this.predictsRatings = inner.predictsRatings;
    this.at = headItems(head, features);
  }

  async fit(train: TrainingSet, context: FitContext): Promise<FitReport> {
    return this.inner.fit(train, context);
  }

  async predict(user: number, support: SupportSet, items: Int32Array): Promise<Float32Array> {
    const scores = await this.inner.predict(user, support, items);
    this.last = { support, items, scores };
    const slot = this.at.slotOf;
    return listHeadRatings(this.head, Int32Array.from(support.items, (i) => slot[i]), support.ratings, Int32Array.from(items, (i) => slot[i]), scores);
  }

  async rank(user: number, support: SupportSet, items: Int32Array): Promise<Float32Array> {
    const last = this.last;
    const scores = last !== undefined && last.support === support && last.items === items ? last.scores : await this.inner.predict(user, support, items);
    return listHeadScores(this.head, headRequest(this.at, support.items, items, scores));
  }

  dispose(): void {
    this.last = undefined;
    this.inner.dispose?.();
  }
}
