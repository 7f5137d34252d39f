/**
 * The features a {@link ListHead} orders a list by, in weight order: the item-item model's score
 * from the user's items, log popularity, content similarity to the user's items, the popularity the
 * item's content predicts, and the (adapted) network's score.
 */
export const LIST_HEAD_FEATURES = ['item_item', 'log_popularity', 'content_similarity', 'content_popularity', 'model'] as const;

/** Indices into {@link LIST_HEAD_FEATURES} a new item (no training interactions) is ordered by. */
export const LIST_HEAD_CONTENT_FEATURES: readonly number[] = [2, 3];

/**
 * What turns the network's per-user scores into the list a user sees. A network trained on the
 * ratings users gave knows little about *which* items they choose; popularity and an item-item
 * model of co-choice know a lot. The head blends them with weights chosen per support-size bucket
 * on validation users (never the test users), so a newcomer's list starts from what works for
 * everyone and leans on their own items as they add some. Items are in "slots": the items with
 * training interactions, most interacted first; any other item is new and ordered by content.
 */
export interface ListHead {
  /** Item id of each slot. */
  readonly itemIds: readonly string[];
  /** log(1 + training interactions) per slot. */
  readonly logPopularity: Float32Array;
  /** Slots `[0, itemItemSize)` form the item-item model's vocabulary. */
  readonly itemItemSize: number;
  /** `itemItemSize²` EASE weights, row = the user's item, column = the scored item; zero diagonal. */
  readonly itemItemWeights: Float32Array;
  /** Width of the multi-hot item categories (the model's feature layout `categoryCount`). */
  readonly categoryCount: number;
  /** Content-popularity ridge weights: one per category of the unit-length category vector, then the intercept. */
  readonly contentPopularityWeights: Float32Array;
  /** First support size of each bucket (ascending, from 0). */
  readonly bucketStarts: readonly number[];
  /** Per bucket: one weight per {@link LIST_HEAD_FEATURES} entry (features standardised within the list). */
  readonly warmWeights: readonly Float32Array[];
  /** Per bucket: one weight per {@link LIST_HEAD_CONTENT_FEATURES} entry, for new items. */
  readonly contentWeights: readonly Float32Array[];
  /** The rating side: the network's rating stacked with a damped bias model, per bucket (see `listHeadRatings`). */
  readonly rating: ListHeadRating;
}

/**
 * A user's rating of an item: `w₀·network + w₁·bias + c` with the bucket's weights, clipped to the
 * data's scale, where bias = μ + b_i + b_u (Koren 2010): b_i the item's damped offset (0 for a new
 * item), b_u = Σ(r − μ − b_i)/(n + damping) over the user's ratings. The network alone predicts new
 * users' ratings worse than this simple prior at small support sizes; the stack learns per bucket
 * how much to trust each (weights fitted for absolute error on validation users).
 */
export interface ListHeadRating {
  readonly mean: number;
  /** Damped item offset per slot. */
  readonly itemOffsets: Float32Array;
  readonly damping: number;
  /** Per bucket: [w_network, w_bias, c]. */
  readonly weights: readonly Float32Array[];
  /** The data's rating scale: predictions are clipped to it. */
  readonly min: number;
  readonly max: number;
}

/** Slot of each item id of `head`. */
export function listHeadSlots(head: ListHead): Map<string, number> {
  return new Map(head.itemIds.map((id, s) => [id, s]));
}

/** The bucket of `head` holding a support of `size` items. */
export function listHeadBucket(head: ListHead, size: number): number {
  let b = 0;
  while (b + 1 < head.bucketStarts.length && size >= head.bucketStarts[b + 1]) {
    b++;
  }
  return b;
}
