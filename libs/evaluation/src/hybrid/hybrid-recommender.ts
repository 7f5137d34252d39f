import { orderWithColdBand, standardizeColumns, SUPPORT_BUCKET_STARTS, supportBucket } from '@metarec/meta-learning';

import { EvalConfigError } from '../errors.js';
import { positiveThresholdOf } from '../metrics/positive-threshold.js';
import { ndcgAtK } from '../metrics/ranking.js';
import type { TrainingSet } from '../protocol/eval-task.js';
import { ratingRange } from '../baselines/rating-range.js';
import type { FitContext, FitReport, Recommender, SupportSet } from '../recommender/recommender.js';
import type { ItemContent } from './item-content.js';
import { contentPopularity, contentSimilarity, fitContentPopularity } from './item-content.js';
import type { ItemItemModel } from './item-item-model.js';
import { fitItemItem, itemItemScores } from './item-item-model.js';
import type { ScoredList } from './list-weight-search.js';
import { perBucket, searchListWeights, validationListOf } from './list-weight-search.js';
import { blendRating, fitRatingBlend } from './rating-blend.js';

import type { ValidationEpisode } from './validation-episodes.js';
import { userFolds } from './validation-episodes.js';

/** A rating model the hybrid stacks (a meta-learner, the bias model, MF…), created per fit. */
export interface HybridRatingModel {
  readonly name: string;
  readonly create: (seed: number) => Recommender;
}

/** Options of {@link HybridRecommender}. */
export interface HybridOptions {
  /** @defaultValue 'hybrid' */
  readonly name?: string;
  /** Rating predictors stacked per support size (at least one). */
  readonly ratingModels: readonly HybridRatingModel[];
  /** Item content (genres, release decade) for new items; absent when the data has none. */
  readonly content?: ItemContent;
  /** Folds of user cross-validation inside the training split. @defaultValue 3 */
  readonly folds?: number;
  /** Item-item ridge λ tried, as multiples of the mean interactions per item (chosen on fold 0). @defaultValue [1, 3, 10, 30, 100, 300, 1000] */
  readonly itemItemL2Multipliers?: readonly number[];
  /**
   * Candidate choice models (meta-learners trained to rank: rated items against sampled unrated
   * ones); the one with the best fold-0 validation nDCG@10 becomes a list feature. None: no such feature.
   */
  readonly choiceModels?: readonly HybridRatingModel[];
  /** Relevance threshold of validation lists. @defaultValue min + 0.75·range of the training ratings */
  readonly positiveThreshold?: number;
}

/** Ranking features of items with training interactions, in order (standardised within each list). */
const LIST_FEATURES = ['item_item', 'log_popularity', 'content_similarity', 'content_popularity', 'rating', 'choice'] as const;
/** What a new item (no training interactions) is ranked by: indices into LIST_FEATURES. */
const CONTENT_FEATURES = [2, 3] as const;
const RATING_SLOT = 4;
const CHOICE_SLOT = 5;

/** Components fitted on one training set. */
interface Components {
  readonly ratingModels: Recommender[];
  /** The meta-learned choice model (its scores are a list feature), when the hybrid has one. */
  readonly choice: Recommender | undefined;
  readonly itemItem: ItemItemModel;
  readonly logPopularity: Float64Array;
  readonly contentPopularity: Float64Array | undefined;
}

/**
 * The cold-start recommender of `metarec-eval`: a stack that starts from strong priors and learns,
 * per support size, how much to trust the user's own ratings. Ratings are a least-absolute-deviation
 * blend of the rating models (the meta-learner beside bias/MF); the list is a linear score, its
 * weights chosen for validation nDCG@10, over an item-item model of what users choose together,
 * popularity, content similarity and content popularity (what a new item can be ranked by), the
 * blended rating and, when given, a choice meta-learner's score. Every weight, the item-item λ and
 * the choice model are chosen by k-fold cross-validation over training users only, each validation
 * user re-split at every support-size bucket; then every component is refitted on all training data.
 */
export class HybridRecommender implements Recommender {
  readonly name: string;
  readonly predictsRatings = true;
  private components: Components | undefined;
  private ratingWeights: Float64Array[] = [];
  private listWeights: Float64Array[] = [];
  private coldWeights: Float64Array[] = [];
  private choiceAt = -1;
  /** The last `predict` call: `rank` right after it on the same arrays (as `scoreTask` does) reuses its ratings instead of adapting every model again. */
  private lastPrediction: { support: SupportSet; items: Int32Array; ratings: Float32Array } | undefined;

  constructor(private readonly options: HybridOptions) {
    this.name = options.name ?? 'hybrid';
    if (options.ratingModels.length === 0) {
      throw new EvalConfigError('EVAL_CONFIG_INVALID', `${this.name}: needs at least one rating model`);
    }
    if ((options.folds ?? 3) < 2) {
      throw new EvalConfigError('EVAL_CONFIG_INVALID', `${this.name}: folds must be >= 2`);
    }
  }

  async fit(train: TrainingSet, context: FitContext): Promise<FitReport> {
    this.dispose();
    const range = ratingRange(train.ratings);
    const threshold = this.options.positiveThreshold ?? positiveThresholdOf({ min: range.min, max: range.max });
    const folds = userFolds(train, { folds: this.options.folds ?? 3, seed: context.seed });
    const meanPerItem = train.items.length / Math.max(1, new Set(train.items).size);
    const grid = (this.options.itemItemL2Multipliers ?? [1, 3, 10, 30, 100, 300, 1000]).map((m) => m * meanPerItem);
    const l2 = chooseItemItemL2(folds[0].inner, folds[0].episodes, grid, threshold);
    const choice = await chooseModel(this.options.choiceModels ?? [], folds[0].inner, folds[0].episodes, threshold, context.seed);
    this.choiceAt = choice.at;
    const steps = folds.length + 1;
    const rows: EpisodeRows[] = [];
    for (const [f, fold] of folds.entries()) {
      const c = await this.fitComponents(fold.inner, l2, context.seed);
      for (const e of fold.episodes) {
        rows.push(await this.episodeRows(c, e, threshold));
      }
      disposeAll(c);
      context.onProgress?.((f + 1) / steps, `${this.name} cross-validation`);
    }
    this.ratingWeights = fitRatingWeights(rows, this.options.ratingModels.length);
    for (const r of rows) {
      fillRatings(r, this.ratingWeights[r.bucket]);
    }
    const warmStart = [1, 1, 0, 0, 0, 0];
    this.listWeights = perBucket(rows, (rs) => searchListWeights(rs.map((r) => validationList(r, LIST_FEATURES.map((_, g) => g), false)), LIST_FEATURES.length, warmStart).weights);
    // New items are ranked by content alone: learned on the same lists with every item treated as new.
    this.coldWeights = perBucket(rows, (rs) => searchListWeights(rs.map((r) => validationList(r, CONTENT_FEATURES, true)), CONTENT_FEATURES.length, [1, 1]).weights);
    this.components = await this.fitComponents(train, l2, context.seed);
    context.onProgress?.(1, `${this.name} refit`);
    const chosen: Record<string, number | string> = { itemItemL2: Number(l2.toFixed(2)), folds: folds.length, validationEpisodes: rows.length, listFeatures: LIST_FEATURES.join(' ') };
    if (choice.at >= 0) {
      chosen['choiceModel'] = this.options.choiceModels?.[choice.at]?.name ?? '';
      chosen['choiceValidationNdcg10'] = choice.scores.map((v) => v.toFixed(4)).join(' ');
    }
    for (const [b, start] of SUPPORT_BUCKET_STARTS.entries()) {
      chosen[`list_w@${start}`] = Array.from(this.listWeights[b], (w) => w.toFixed(3)).join(' ');
      chosen[`content_w@${start}`] = Array.from(this.coldWeights[b], (w) => w.toFixed(3)).join(' ');
      chosen[`rating_w@${start}`] = Array.from(this.ratingWeights[b], (w) => w.toFixed(3)).join(' ');
    }
    return { chosen };
  }

  async predict(user: number, support: SupportSet, items: Int32Array): Promise<Float32Array> {
    const c = this.fitted();
    const per = await modelPredictions(c, user, support, items);
    const w = this.ratingWeights[supportBucket(support.items.length)];
    const m = c.ratingModels.length;
    const ratings = Float32Array.from(items, (_, k) => blendRating(w, per.subarray(k * m, (k + 1) * m)));
    this.lastPrediction = { support, items, ratings };
    return ratings;
  }

  /** The list order; right after `predict` on the same (unmodified) `support` and `items` objects it reuses those ratings. */
  async rank(user: number, support: SupportSet, items: Int32Array): Promise<Float32Array> {
    const c = this.fitted();
    const last = this.lastPrediction;
    const ratings = last !== undefined && last.support === support && last.items === items ? last.ratings : await this.predict(user, support, items);
    const b = supportBucket(support.items.length);
    const features = rankingFeatures(c, this.options.content, support, items, ratings, await choiceScores(c, user, support, items));
    const isNew = Uint8Array.from(items, (i) => (c.logPopularity[i] === 0 ? 1 : 0));
    return orderWithColdBand(features, LIST_FEATURES.length, isNew, { warm: this.listWeights[b], contentFeatures: CONTENT_FEATURES, content: this.coldWeights[b] });
  }

  dispose(): void {
    if (this.components) {
      disposeAll(this.components);
    }
    this.components = undefined;
    this.lastPrediction = undefined;
  }

  private fitted(): Components {
    if (!this.components) {
      throw new EvalConfigError('EVAL_CONFIG_INVALID', `${this.name}: predict called before fit`);
    }
    return this.components;
  }

  private async fitComponents(train: TrainingSet, l2: number, seed: number): Promise<Components> {
    const counts = new Float64Array(train.itemCount);
    for (const i of train.items) {
      counts[i]++;
    }
    const ratingModels: Recommender[] = [];
    for (const m of this.options.ratingModels) {
      const rec = m.create(seed);
      await rec.fit(train, { seed });
      ratingModels.push(rec);
    }
    const content = this.options.content;
    const factory = this.choiceAt >= 0 ? this.options.choiceModels?.[this.choiceAt] : undefined;
    const choice = factory?.create(seed);
    await choice?.fit(train, { seed });
    return {
      ratingModels,
      choice,
      itemItem: fitItemItem(train.users, train.items, train.itemCount, { l2 }),
      logPopularity: Float64Array.from(counts, (n) => Math.log1p(n)),
      contentPopularity: content && contentPopularity(content, fitContentPopularity(content, counts), Int32Array.from({ length: train.itemCount }, (_, i) => i)),
    };
  }

  private async episodeRows(c: Components, e: ValidationEpisode, threshold: number): Promise<EpisodeRows> {
    const support = { items: e.supportItems, ratings: e.supportRatings };
    const items = new Int32Array(e.queryItems.length + e.negatives.length);
    items.set(e.queryItems, 0);
    items.set(e.negatives, e.queryItems.length);
    const predictions = await modelPredictions(c, e.user, support, items);
    const relevant = Uint8Array.from(items, (_, k) => (k < e.queryItems.length && e.queryRatings[k] >= threshold ? 1 : 0));
    const isQuery = Uint8Array.from(items, (_, k) => (k < e.queryItems.length ? 1 : 0));
    return {
      bucket: supportBucket(e.supportItems.length),
      models: c.ratingModels.length,
      predictions,
      targets: e.queryRatings,
      // Features without the rating, which depends on the blend fitted afterwards.
      features: rankingFeatures(c, this.options.content, support, items, new Float32Array(items.length), await choiceScores(c, e.user, support, items)),
      isCold: Uint8Array.from(items, (i) => (c.logPopularity[i] === 0 ? 1 : 0)),
      relevant,
      isQuery,
    };
  }
}

/** One validation episode's model outputs over its query and negative items. */
interface EpisodeRows {
  readonly bucket: number;
  readonly models: number;
  /** `models` rating predictions per item. */
  readonly predictions: Float64Array;
  readonly targets: Float32Array;
  /** LIST_FEATURES per item; the rating slot is filled once the rating blend is fitted. */
  readonly features: Float64Array;
  readonly isCold: Uint8Array;
  readonly relevant: Uint8Array;
  readonly isQuery: Uint8Array;
}

/** Each rating model's prediction per item (`models` values per item). */
async function modelPredictions(c: Components, user: number, support: SupportSet, items: Int32Array): Promise<Float64Array> {
  const m = c.ratingModels.length;
  const out = new Float64Array(items.length * m);
  for (const [k, rec] of c.ratingModels.entries()) {
    const p = await rec.predict(user, support, items);
    for (let j = 0; j < items.length; j++) {
      out[j * m + k] = p[j];
    }
  }
  return out;
}

/** The choice model's scores, or zeros (a constant feature) without one. */
async function choiceScores(c: Components, user: number, support: SupportSet, items: Int32Array): Promise<ArrayLike<number>> {
  return c.choice ? await c.choice.predict(user, support, items) : new Float32Array(items.length);
}

function rankingFeatures(c: Components, content: ItemContent | undefined, support: SupportSet, items: Int32Array, ratings: ArrayLike<number>, choice: ArrayLike<number>): Float64Array {
  const f = LIST_FEATURES.length;
  const ii = itemItemScores(c.itemItem, support.items, items);
  const sim = content ? contentSimilarity(content, support.items, items) : undefined;
  const out = new Float64Array(items.length * f);
  for (let k = 0; k < items.length; k++) {
    const pop = c.logPopularity[items[k]];
    out[k * f] = ii[k];
    out[k * f + 1] = pop;
    out[k * f + 2] = sim ? sim[k] : 0;
    out[k * f + 3] = c.contentPopularity ? c.contentPopularity[items[k]] : 0;
    out[k * f + RATING_SLOT] = ratings[k];
    out[k * f + CHOICE_SLOT] = choice[k];
  }
  return out;
}

/** Writes the blended rating into each item's `rating` slot. */
function fillRatings(r: EpisodeRows, ratingWeights: Float64Array): void {
  const f = LIST_FEATURES.length;
  for (let k = 0; k < r.relevant.length; k++) {
    r.features[k * f + RATING_SLOT] = blendRating(ratingWeights, r.predictions.subarray(k * r.models, (k + 1) * r.models));
  }
}

function fitRatingWeights(rows: readonly EpisodeRows[], models: number): Float64Array[] {
  return perBucket(rows, (rs) => {
    const preds: number[] = [];
    const targets: number[] = [];
    for (const r of rs) {
      for (let k = 0; k < r.targets.length; k++) {
        for (let m = 0; m < models; m++) {
          preds.push(r.predictions[k * models + m]);
        }
        targets.push(r.targets[k]);
      }
    }
    return fitRatingBlend(Float64Array.from(preds), Float64Array.from(targets), models, 1, 'absolute');
  });
}

/** One episode as a validation list over the `use`d features (see {@link validationListOf}). */
function validationList(r: EpisodeRows, use: readonly number[], asNew: boolean): ScoredList {
  return validationListOf(r.features, LIST_FEATURES.length, r, use, asNew);
}

/** Mean nDCG@10 over the episodes with a relevant query item of `score`'s ordering of those items among the episode's negatives. */
async function meanEpisodeNdcg(
  episodes: readonly ValidationEpisode[],
  threshold: number,
  score: (e: ValidationEpisode, items: Int32Array) => ArrayLike<number> | Promise<ArrayLike<number>>,
): Promise<number> {
  let sum = 0;
  let n = 0;
  for (const e of episodes) {
    const positives = e.queryItems.filter((_, k) => e.queryRatings[k] >= threshold);
    if (positives.length === 0) {
      continue;
    }
    const items = Int32Array.from([...positives, ...e.negatives]);
    sum += ndcgAtK(await score(e, items), Uint8Array.from(items, (_, k) => (k < positives.length ? 1 : 0)), 10);
    n++;
  }
  return n === 0 ? 0 : sum / n;
}

/**
 * λ with the best fold-0 validation nDCG@10 of the item-item score *as the list uses it*: beside
 * popularity, with per-bucket weights searched like the list's. Chosen for the item-item score alone,
 * λ went to the largest value tried (a popularity-like smoothing) and the blended list lost ~1 point
 * of nDCG@10 on ML-100K, because popularity is a feature of its own. The O(n³) fit is the cost.
 */
function chooseItemItemL2(inner: TrainingSet, episodes: readonly ValidationEpisode[], grid: readonly number[], threshold: number): number {
  const counts = new Float64Array(inner.itemCount);
  for (const i of inner.items) {
    counts[i]++;
  }
  let best = grid[0];
  let bestNdcg = -1;
  for (const l2 of grid) {
    const model = fitItemItem(inner.users, inner.items, inner.itemCount, { l2 });
    const lists: Array<ScoredList & { bucket: number }> = [];
    for (const e of episodes) {
      const positives = e.queryItems.filter((_, k) => e.queryRatings[k] >= threshold);
      if (positives.length === 0) {
        continue;
      }
      const items = Int32Array.from([...positives, ...e.negatives]);
      const ii = itemItemScores(model, e.supportItems, items);
      const features = new Float64Array(items.length * 2);
      items.forEach((item, k) => {
        features[2 * k] = ii[k];
        features[2 * k + 1] = Math.log1p(counts[item]);
      });
      standardizeColumns(features, 2, () => true);
      lists.push({ bucket: supportBucket(e.supportItems.length), features, relevant: Uint8Array.from(items, (_, k) => (k < positives.length ? 1 : 0)) });
    }
    let sum = 0;
    for (let b = 0; b < SUPPORT_BUCKET_STARTS.length; b++) {
      const mine = lists.filter((l) => l.bucket === b);
      if (mine.length > 0) {
        sum += mine.length * searchListWeights(mine, 2, [1, 1]).ndcg;
      }
    }
    const ndcg = lists.length === 0 ? 0 : sum / lists.length;
    if (ndcg > bestNdcg) {
      bestNdcg = ndcg;
      best = l2;
    }
  }
  return best;
}

function disposeAll(c: Components): void {
  for (const r of c.ratingModels) {
    r.dispose?.();
  }
  c.choice?.dispose?.();
}

/** Index of the candidate with the best fold-0 validation nDCG@10 (each fitted on the fold's inner users), and every candidate's score; −1 without candidates. */
async function chooseModel(candidates: readonly HybridRatingModel[], inner: TrainingSet, episodes: readonly ValidationEpisode[], threshold: number, seed: number): Promise<{ at: number; scores: number[] }> {
  const scores: number[] = [];
  for (const factory of candidates) {
    const rec = factory.create(seed);
    try {
      await rec.fit(inner, { seed });
      scores.push(await meanEpisodeNdcg(episodes, threshold, (e, items) => rec.predict(e.user, { items: e.supportItems, ratings: e.supportRatings }, items)));
    } finally {
      rec.dispose?.();
    }
  }
  const at = scores.length === 0 ? -1 : scores.indexOf(Math.max(...scores));
  return { at, scores };
}
