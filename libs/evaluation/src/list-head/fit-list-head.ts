import type { RatingScale } from '@metarec/datasets';
import {
  bucketRange,
  LIST_HEAD_CONTENT_FEATURES,
  LIST_HEAD_FEATURES,
  listHeadFeatures,
  scoreList,
  SUPPORT_BUCKET_STARTS,
  type AdaptOptions,
  type ListHead,
  type MetaModel,
} from '@metarec/meta-learning';
import { SeededRng } from '@metarec/runtime';
import type { UserTask } from '@metarec/schemas';

import { EvalConfigError } from '../errors.js';
import { DampedBiasRecommender } from '../baselines/damped-bias.js';
import { AdaptedModelRecommender } from '../held-out/adapted-model-recommender.js';
import { withHeldOutNegatives } from '../held-out/held-out-negatives.js';
import { itemFeatureRows } from '../held-out/item-feature-rows.js';
import { userTaskSplit } from '../held-out/user-task-split.js';
import { fitContentPopularity, type ItemContent } from '../hybrid/item-content.js';
import { fitItemItem, type ItemItemModel } from '../hybrid/item-item-model.js';
import { perBucket, searchListWeights, validationListOf, type ScoredList } from '../hybrid/list-weight-search.js';
import { fitRatingBlend } from '../hybrid/rating-blend.js';
import { positiveThresholdOf } from '../metrics/positive-threshold.js';
import { ndcgAtK } from '../metrics/ranking.js';
import { headItems, headRequest } from './head-request.js';

/** Options of {@link fitListHead}. */
export interface FitListHeadOptions {
  /** The trained network and its parameters: its adapted scores are one of the head's features. */
  readonly model: MetaModel;
  readonly params: Float32Array;
  /** The local update each user gets (the run's inner loop and calibrated shrinkage). */
  readonly update: Partial<AdaptOptions>;
  /** Users the network trained on: their interactions fit popularity, the item-item model and content popularity. */
  readonly train: readonly UserTask[];
  /** Users the network did not train on (the run's validation users): λ and the weights are chosen on them. */
  readonly validation: readonly UserTask[];
  /** The data's rating scale: positives are ratings at or above `positiveThresholdOf(ratingScale)`. */
  readonly ratingScale: RatingScale;
  /** Seed of the sampled negatives and of each episode's support size. */
  readonly seed: number;
  /** Unrated items sampled per validation list. @defaultValue 100 */
  readonly negativeCount?: number;
  /** Item-item ridge λ tried, as multiples of the mean interactions per item. @defaultValue [1, 3, 10, 30, 100, 300, 1000] */
  readonly itemItemL2Multipliers?: readonly number[];
  /** Item-item vocabulary (most interacted items; the bundle holds its square). @defaultValue 3000 */
  readonly maxItems?: number;
  /** Called after each step with the share done and what it was. */
  readonly onProgress?: (done: number, label: string) => void;
}

/** A fitted head and how it was chosen (kept in the bundle and the lineage). */
export interface FittedListHead {
  readonly head: ListHead;
  readonly evidence: Record<string, string | number>;
}

/** One validation user re-cut at one support size: the list the head must order and the ratings it must predict. */
interface Episode {
  readonly bucket: number;
  readonly support: Int32Array;
  /** The query items first, then the sampled negatives. */
  readonly items: Int32Array;
  readonly isQuery: Uint8Array;
  /** Query items rated at or above the positive threshold. */
  readonly relevant: Uint8Array;
  /** The network's score of every item. */
  readonly modelScores: Float32Array;
  /** The query ratings, and the damped bias model's prediction of them. */
  readonly queryRatings: Float32Array;
  readonly biasScores: Float32Array;
}

/**
 * Fits the list head of a trained network. The network's training users give popularity, the
 * item-item (EASE) model and the content-popularity ridge; the validation users, whom the network
 * never trained on, give everything chosen: λ (fold-free, since the network is fixed) and, per
 * support-size bucket, the feature weights by coordinate ascent on nDCG@10 of their liked query
 * items among sampled unrated ones. Each validation user is cut once per bucket (the first k
 * support ratings, k drawn inside the bucket), as a newcomer with k ratings would be served.
 * @throws EvalConfigError `EVAL_DATA_INVALID` without training interactions or without a validation user who liked a query item.
 */
export async function fitListHead(options: FitListHeadOptions): Promise<FittedListHead> {
  const negativeCount = options.negativeCount ?? 100;
  const split = withHeldOutNegatives(userTaskSplit(options.train, options.validation), { negativeCount, seed: options.seed });
  const training = split.training;
  if (training.items.length === 0) {
    throw new EvalConfigError('EVAL_DATA_INVALID', 'list head: the training users have no interactions');
  }
  const features = itemFeatureRows(split.userTasks, split.itemIds);
  const counts = new Float64Array(training.itemCount);
  for (const i of training.items) {
    counts[i]++;
  }
  const bias = new DampedBiasRecommender();
  bias.fit(training);
  const episodes = await validationEpisodes(options, split.tasks, split.userTasks.length, features, bias);
  if (!episodes.some((e) => e.relevant.includes(1))) {
    throw new EvalConfigError('EVAL_DATA_INVALID', 'list head: no validation user liked a query item (nothing to choose the weights on)');
  }
  options.onProgress?.(0.2, 'list head: validation lists scored');
  const meanPerItem = training.items.length / Math.max(1, counts.filter((n) => n > 0).length);
  const grid = (options.itemItemL2Multipliers ?? [1, 3, 10, 30, 100, 300, 1000]).map((m) => m * meanPerItem);
  const content = categoryContent(features.itemCategories, features.widths.categories, training.itemCount);
  const contentWeights = Float32Array.from(fitContentPopularity(content, counts));
  const maxItems = options.maxItems ?? 3000;
  let best: { l2: number; ndcg: number; head: ListHead } | undefined;
  const tried: string[] = [];
  for (const [g, l2] of grid.entries()) {
    const head = headOf(fitItemItem(training.users, training.items, training.itemCount, { l2, maxItems }), counts, split.itemIds, features.widths.categories, contentWeights, bias, options.ratingScale);
    // λ is judged as the list uses the item-item score: beside popularity, weights per bucket.
    const rows = featureRows(head, features, episodes);
    const ndcg = weightedBucketNdcg(rows.map((r) => ({ bucket: r.e.bucket, list: listOf(r, [0, 1], false) })), 2, [1, 1]);
    tried.push(`${Number(l2.toFixed(2))}:${ndcg.toFixed(4)}`);
    if (best === undefined || ndcg > best.ndcg) {
      best = { l2, ndcg, head };
    }
    options.onProgress?.(0.2 + (0.7 * (g + 1)) / grid.length, 'list head: item-item λ');
  }
  const chosen = best as { l2: number; ndcg: number; head: ListHead };
  const rows = featureRows(chosen.head, features, episodes);
  const all = LIST_HEAD_FEATURES.map((_, g) => g);
  const warmStart = [1, 1, 0, 0, 0];
  const warm = perBucket(rows, (rs) => searchListWeights(rs.map((r) => listOf(r, all, false)), all.length, warmStart).weights);
  const cold = perBucket(rows, (rs) => searchListWeights(rs.map((r) => listOf(r, LIST_HEAD_CONTENT_FEATURES, true)), LIST_HEAD_CONTENT_FEATURES.length, [1, 1]).weights);
  const ratingWeights = fitRatingWeights(episodes);
  const head: ListHead = {
    ...chosen.head,
    warmWeights: warm.map((w) => Float32Array.from(w)),
    contentWeights: cold.map((w) => Float32Array.from(w)),
    rating: { ...chosen.head.rating, weights: ratingWeights.map((w) => Float32Array.from(w)) },
  };
  const popularityOnly = [0, 1, 0, 0, 0];
  const modelOnly = [0, 0, 0, 0, 1];
  const evidence: Record<string, string | number> = {
    itemItemL2: Number(chosen.l2.toFixed(2)),
    itemItemL2Tried: tried.join(' '),
    itemItemSize: head.itemItemSize,
    items: head.itemIds.length,
    validationUsers: options.validation.length,
    validationLists: episodes.length,
    features: LIST_HEAD_FEATURES.join(' '),
    // On the lists the weights were chosen on (in-sample for the head; the network never saw these users).
    validationNdcg10: Number(meanNdcg(rows, (b) => head.warmWeights[b]).toFixed(4)),
    validationNdcg10Popularity: Number(meanNdcg(rows, () => popularityOnly).toFixed(4)),
    validationNdcg10Network: Number(meanNdcg(rows, () => modelOnly).toFixed(4)),
  };
  for (const [b, start] of SUPPORT_BUCKET_STARTS.entries()) {
    evidence[`weights@${start}`] = Array.from(head.warmWeights[b], (w) => Number(w.toFixed(3))).join(' ');
    evidence[`contentWeights@${start}`] = Array.from(head.contentWeights[b], (w) => Number(w.toFixed(3))).join(' ');
    evidence[`ratingWeights@${start}`] = Array.from(head.rating.weights[b], (w) => Number(w.toFixed(3))).join(' ');
  }
  options.onProgress?.(1, 'list head: weights');
  return { head, evidence };
}

/** Each validation user cut once per support-size bucket it can fill, scored by the adapted network and the damped bias model. */
async function validationEpisodes(
  options: FitListHeadOptions,
  tasks: ReturnType<typeof withHeldOutNegatives>['tasks'],
  users: number,
  features: ReturnType<typeof itemFeatureRows>,
  bias: DampedBiasRecommender,
): Promise<Episode[]> {
  const threshold = positiveThresholdOf(options.ratingScale);
  const rng = new SeededRng(`${options.seed}:list-head-episodes`);
  const userTasks = [...options.train, ...options.validation];
  if (userTasks.length !== users) {
    throw new EvalConfigError('EVAL_DATA_INVALID', 'list head: split users do not match the tasks given');
  }
  const network = new AdaptedModelRecommender({ model: options.model, params: options.params, userTasks, itemIds: features.itemIds, update: options.update });
  const out: Episode[] = [];
  try {
    for (const t of tasks) {
      const q = t.queryItems.length;
      const items = Int32Array.from([...t.queryItems, ...t.negatives]);
      const isQuery = Uint8Array.from(items, (_, k) => (k < q ? 1 : 0));
      const relevant = Uint8Array.from(items, (_, k) => (k < q && t.queryRatings[k] >= threshold ? 1 : 0));
      for (let b = 0; b < SUPPORT_BUCKET_STARTS.length; b++) {
        const { lo, hi } = bucketRange(b, t.supportItems.length);
        if (lo > hi) {
          break;
        }
        const size = lo + rng.int(hi - lo + 1);
        const support = { items: t.supportItems.subarray(0, size), ratings: t.supportRatings.subarray(0, size) };
        const modelScores = await network.predict(t.user, support, items);
        const biasScores = bias.predict(t.user, support, t.queryItems);
        out.push({ bucket: b, support: support.items, items, isQuery, relevant, modelScores, queryRatings: t.queryRatings, biasScores });
      }
    }
  } finally {
    network.dispose();
  }
  return out;
}

/** Per bucket, the least-absolute-deviation stack [w_network, w_bias, c] of the episodes' query ratings. */
function fitRatingWeights(episodes: readonly Episode[]): Float64Array[] {
  return perBucket(episodes, (es) => {
    const predictions: number[] = [];
    const targets: number[] = [];
    for (const e of es) {
      for (let k = 0; k < e.queryRatings.length; k++) {
        predictions.push(e.modelScores[k], e.biasScores[k]);
        targets.push(e.queryRatings[k]);
      }
    }
    return fitRatingBlend(Float64Array.from(predictions), Float64Array.from(targets), 2, 1, 'absolute');
  });
}

/** The head over an item-item model: slots in the model's order (most interacted first), then the other items with interactions. */
function headOf(
  itemItem: ItemItemModel,
  counts: Float64Array,
  itemIds: readonly string[],
  categoryCount: number,
  contentPopularityWeights: Float32Array,
  bias: DampedBiasRecommender,
  scale: RatingScale,
): ListHead {
  const ranked = Array.from({ length: counts.length }, (_, i) => i)
    .filter((i) => counts[i] > 0)
    .sort((a, b) => counts[b] - counts[a] || a - b);
  ranked.slice(0, itemItem.size).forEach((item, k) => {
    if (itemItem.slot[item] !== k) {
      throw new EvalConfigError('EVAL_DATA_INVALID', 'list head: item-item vocabulary is not in popularity order');
    }
  });
  const zeros = SUPPORT_BUCKET_STARTS.map(() => new Float32Array(LIST_HEAD_FEATURES.length));
  return {
    itemIds: ranked.map((i) => itemIds[i]),
    logPopularity: Float32Array.from(ranked, (i) => Math.log1p(counts[i])),
    itemItemSize: itemItem.size,
    itemItemWeights: itemItem.weights,
    categoryCount,
    contentPopularityWeights,
    bucketStarts: SUPPORT_BUCKET_STARTS,
    warmWeights: zeros,
    contentWeights: SUPPORT_BUCKET_STARTS.map(() => new Float32Array(LIST_HEAD_CONTENT_FEATURES.length)),
    rating: {
      mean: bias.globalMean,
      itemOffsets: Float32Array.from(ranked, (i) => bias.itemOffset(i)),
      damping: bias.damping,
      weights: SUPPORT_BUCKET_STARTS.map(() => Float32Array.from([1, 0, 0])),
      min: scale.min,
      max: scale.max,
    },
  };
}

/** Items' multi-hot categories as unit-length sparse content vectors (one dimension per category). */
function categoryContent(categories: Float32Array, width: number, items: number): ItemContent {
  const offsets = new Int32Array(items + 1);
  const dims: number[] = [];
  for (let i = 0; i < items; i++) {
    for (let d = 0; d < width; d++) {
      if (categories[i * width + d] !== 0) {
        dims.push(d);
      }
    }
    offsets[i + 1] = dims.length;
  }
  const values = new Float32Array(dims.length);
  for (let i = 0; i < items; i++) {
    const n = offsets[i + 1] - offsets[i];
    values.fill(n === 0 ? 0 : 1 / Math.sqrt(n), offsets[i], offsets[i + 1]);
  }
  return { dimensions: width, offsets, dims: Int32Array.from(dims), values };
}

/** An episode's features under one head, and which of its items the head does not know. */
interface FeatureRow {
  readonly e: Episode;
  readonly bucket: number;
  readonly f: Float64Array;
  readonly isCold: Uint8Array;
}

function featureRows(head: ListHead, features: ReturnType<typeof itemFeatureRows>, episodes: readonly Episode[]): FeatureRow[] {
  const at = headItems(head, features);
  return episodes.map((e) => {
    const request = headRequest(at, e.support, e.items, e.modelScores);
    return { e, bucket: e.bucket, f: listHeadFeatures(head, request), isCold: Uint8Array.from(request.candidateSlots, (s) => (s < 0 ? 1 : 0)) };
  });
}

function listOf(r: FeatureRow, use: readonly number[], asNew: boolean): ScoredList {
  return validationListOf(r.f, LIST_HEAD_FEATURES.length, { relevant: r.e.relevant, isQuery: r.e.isQuery, isCold: r.isCold }, use, asNew);
}

/** Mean over buckets (weighted by their lists) of the best nDCG@10 a per-bucket weight search reaches. */
function weightedBucketNdcg(lists: ReadonlyArray<{ bucket: number; list: ScoredList }>, features: number, start: readonly number[]): number {
  let sum = 0;
  for (let b = 0; b < SUPPORT_BUCKET_STARTS.length; b++) {
    const mine = lists.filter((l) => l.bucket === b).map((l) => l.list);
    if (mine.length > 0) {
      sum += mine.length * searchListWeights(mine, features, start).ndcg;
    }
  }
  return lists.length === 0 ? 0 : sum / lists.length;
}

/** Mean nDCG@10 of the episodes' known items ordered with fixed per-bucket weights (episodes without a liked query item left out). */
function meanNdcg(rows: readonly FeatureRow[], weightsOf: (bucket: number) => ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (const r of rows) {
    const list = listOf(r, LIST_HEAD_FEATURES.map((_, g) => g), false);
    const v = ndcgAtK(scoreList(list.features, LIST_HEAD_FEATURES.length, weightsOf(r.bucket)), list.relevant, 10);
    if (!Number.isNaN(v)) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? 0 : sum / n;
}
