import { RateLimitedLog } from '@metarec/feature-store';
import { adapt, type AdaptedUser } from '@metarec/meta-learning';
import type { Logger } from '@metarec/runtime';
import type { Interaction, ItemProfile, UserProfile } from '@metarec/schemas';

import type { AdaptationGate } from '../adaptation/adaptation-gate.js';
import { ItemDerivedCache } from '../cache/item-derived-cache.js';
import type { UserModelCache } from '../cache/user-model-cache.js';
import type { ItemProfileCache } from '../cache/item-profile-cache.js';
import type { CandidateGenerator } from '../candidates/candidate-generator.js';
import { reasonOf, requireInt, requireNumber, ServingError } from '../errors.js';
import { withTimeout, type FeatureReader } from '../features/feature-reader.js';
import type { PendingInteractions } from '../feedback/pending-interactions.js';
import { mergeOptions } from '@metarec/runtime';
import type { ServingMetrics, ServingPath } from '../metrics/serving-metrics.js';
import type { ModelHolder } from '../model/model-holder.js';
import type { ServingModel } from '../model/serving-model.js';
import { effectiveAdaptation } from '../adaptation/effective-adaptation.js';
import { encodeUser, supportRows } from './encode-request.js';
import { CandidateScorer, type ScoringInput } from './candidate-scorer.js';
import { listOrder, listRatings } from './list-order.js';
import { publicReasons } from './public-reasons.js';
import { topK, type ScoredItem } from './rank.js';
import { RequestTimer, type StageTimings } from './request-timings.js';
import { supportSet } from './support-set.js';

/** Options of {@link Recommender}. */
export interface RecommenderOptions {
  readonly holder: ModelHolder<ServingModel>;
  readonly reader: FeatureReader;
  readonly candidates: CandidateGenerator;
  readonly items: ItemProfileCache;
  readonly cache: UserModelCache;
  readonly gate: AdaptationGate;
  readonly pending: PendingInteractions;
  readonly logger: Logger;
  readonly metrics?: ServingMetrics;
  /** Inner steps at request time. @defaultValue the bundle's trained `inner.steps`, else 5 (MeLU) */
  readonly adaptSteps?: number;
  /** Inner step size (Meta-SGD models use their learned rates). @defaultValue the bundle's trained `inner.lr`, else 0.01 */
  readonly adaptLr?: number;
  /** Support-size shrinkage κ (each step × n/(n+κ)). @defaultValue the bundle's calibrated `adaptation.shrinkage`, else 0 */
  readonly adaptShrinkage?: number;
  /** Ratings adapted on at most (the newest). @defaultValue 50 */
  readonly maxSupportRows?: number;
  /** Recent events read per user. @defaultValue 100 */
  readonly recentLimit?: number;
  /** Largest `k` a caller may ask for. @defaultValue 100 */
  readonly maxK?: number;
  /** A user-context read slower than this counts as failed. @defaultValue 50 */
  readonly timeoutMs?: number;
  /** Distinct user-feature combinations whose prior scores are memoised (cold users; LRU beyond). 0: off. @defaultValue 256 */
  readonly priorMemoUsers?: number;
  /** Longest candidate list memoised per prior memo (see `ScoreMemo`). 0: off. @defaultValue 2_000 */
  readonly scoreMemoEntries?: number;
  /** Items whose encoded feature rows are kept per model and catalog epoch (see `ItemDerivedCache`; ~130 B each, with the discrimination). @defaultValue 200_000 */
  readonly encodedItemRows?: number;
}

/** Defaults laid under {@link RecommenderOptions}. */
export const DEFAULT_RECOMMENDER_OPTIONS: Required<
  Pick<RecommenderOptions, 'maxSupportRows' | 'recentLimit' | 'maxK' | 'timeoutMs' | 'priorMemoUsers' | 'scoreMemoEntries' | 'encodedItemRows'>
> = {
  maxSupportRows: 50,
  recentLimit: 100,
  maxK: 100,
  timeoutMs: 50,
  priorMemoUsers: 256,
  scoreMemoEntries: 2_000,
  encodedItemRows: 200_000,
};

/** One recommendation request. */
export interface RecommendRequest {
  readonly userId: string;
  /** Items to return, 1..maxK. */
  readonly k: number;
  /** Items not to return (already on screen, in the basket). */
  readonly exclude?: readonly string[];
}

/** What a user gets and how it was computed. */
export interface Recommendation {
  readonly userId: string;
  readonly modelVersion: number;
  /** `cold`: the meta-learned prior (no ratings, or adaptation refused); `adapted`: adapted now; `cached`: adapted earlier. */
  readonly path: ServingPath;
  readonly items: readonly ScoredItem[];
  readonly candidateCount: number;
  /** Ratings the user model was adapted on. */
  readonly supportCount: number;
  /** Why the answer may be worse than usual (a dependency failed; no client error text: that is logged); empty normally. */
  readonly degraded: readonly string[];
  /** Time per stage of this request, ms (for the `Server-Timing` header and the stage histogram; not part of the JSON body). */
  readonly timings: StageTimings;
}

/** What a request knows about its user once the store (and the overlay) answered. */
export interface UserView {
  readonly recent: readonly Interaction[];
  readonly profile: UserProfile | null;
  /** True when the store could not be read (the view holds only this pod's accepted feedback). */
  readonly storeFailed: boolean;
}

/** Throws `SERVING_INPUT_INVALID` naming `k` unless 1 <= k <= maxK. */
export function checkK(k: number, maxK: number): void {
  if (!Number.isInteger(k) || k < 1 || k > maxK) {
    throw new ServingError('SERVING_INPUT_INVALID', `k must be an integer in [1, ${maxK}], got ${k}`, { field: 'k' });
  }
}

/**
 * The request path: candidates from the online store, the user's ratings and profile, the
 * per-user model (prior for cold users, `adapt` on the ratings, cached per user and model
 * version until the ratings change), one batched `score`, the list head's order when the bundle
 * has one (popularity and the user's rated items beside the scores), top k. A failing store degrades the
 * answer (prior, cached popularity) with a logged reason; it never fails the request.
 */
export class Recommender {
  private readonly o: typeof DEFAULT_RECOMMENDER_OPTIONS & RecommenderOptions;
  private readonly degradedLog = new RateLimitedLog(10_000);
  private readonly scorer: CandidateScorer;
  /** What the request path derives from items alone (encoded rows, discrimination), per model and catalog epoch; onboarding uses it too. */
  readonly itemCache: ItemDerivedCache;

  /** @throws ServingError `SERVING_OPTIONS_INVALID`. */
  constructor(options: RecommenderOptions) {
    this.o = mergeOptions(DEFAULT_RECOMMENDER_OPTIONS, options);
    if (this.o.adaptSteps !== undefined) {
      requireInt('adaptSteps', this.o.adaptSteps, 0, 100);
    }
    if (this.o.adaptLr !== undefined) {
      requireNumber('adaptLr', this.o.adaptLr, 0);
    }
    if (this.o.adaptShrinkage !== undefined) {
      requireNumber('adaptShrinkage', this.o.adaptShrinkage, 0);
    }
    requireInt('maxSupportRows', this.o.maxSupportRows, 1, 10_000);
    requireInt('recentLimit', this.o.recentLimit, 1, 10_000);
    requireInt('maxK', this.o.maxK, 1, 10_000);
    requireInt('timeoutMs', this.o.timeoutMs, 1);
    requireInt('priorMemoUsers', this.o.priorMemoUsers, 0);
    requireInt('scoreMemoEntries', this.o.scoreMemoEntries, 0);
    requireInt('encodedItemRows', this.o.encodedItemRows, 1);
    this.itemCache = new ItemDerivedCache(this.o.encodedItemRows);
    this.scorer = new CandidateScorer(this.o, this.itemCache);
  }

  get maxK(): number {
    return this.o.maxK;
  }

  /**
   * Top `k` items for a user.
   * @throws ServingError `SERVING_INPUT_INVALID` (field `k` or `userId`), `SERVING_NOT_READY` before the first model.
   */
  async recommend(request: RecommendRequest): Promise<Recommendation> {
    checkK(request.k, this.o.maxK);
    const lease = this.o.holder.acquire();
    if (lease === null) {
      throw new ServingError('SERVING_NOT_READY', 'no model loaded yet');
    }
    try {
      const model = lease.model;
      const timer = new RequestTimer();
      const degraded: string[] = [];
      const user = await this.userView(request.userId, degraded);
      timer.lap('user');
      const candidates = await this.o.candidates.generate({
        recent: user.recent,
        exclude: request.exclude === undefined ? undefined : new Set(request.exclude),
        isNewItem: (id) => !model.knowsItem(id),
        isNewItemKey: model,
      });
      degraded.push(...candidates.degraded);
      timer.lap('candidates');
      const support = supportSet(user.recent, this.o.maxSupportRows);
      const ids = candidates.itemIds;
      const profiles = await this.o.items.get(support.ratings.length === 0 ? ids : [...ids, ...support.ratings.map((r) => r.item_id)]);
      if (profiles.degraded !== null) {
        degraded.push(profiles.degraded);
      }
      timer.lap('profiles');
      // From here to the end no await but the adaptation gate's: a cached user model cannot be
      // disposed (invalidated, evicted) between being looked up and being scored with.
      const input: ScoringInput = {
        model,
        ids,
        profiles: profiles.profiles.slice(0, ids.length),
        userFields: encodeUser(model, request.userId, user.profile),
        epoch: this.o.items.epoch,
        timer,
      };
      let path: ServingPath = 'cold';
      let scores: Float32Array | null = null;
      const stale = user.storeFailed && support.ratings.length === 0 ? this.o.cache.peek(request.userId, model.version) : null;
      if (stale !== null) {
        // The store is away: the user's last adapted model beats the prior.
        path = 'cached';
        scores = this.scorer.scoreWith(stale, this.o.cache.memo(request.userId), input);
      } else if (support.ratings.length > 0) {
        const cached = this.o.cache.get(request.userId, model.version, support.stateKey);
        this.o.metrics?.userCache.inc({ result: cached === null ? 'miss' : 'hit' });
        if (cached !== null) {
          path = 'cached';
          scores = this.scorer.scoreWith(cached, this.o.cache.memo(request.userId), input);
        } else {
          const rows = supportRows(model, request.userId, user.profile, support.ratings, profiles.profiles.slice(ids.length));
          timer.lap('encode');
          const result = await this.o.gate.run(() => {
            timer.lap('queue');
            const settings = effectiveAdaptation({ steps: this.o.adaptSteps, lr: this.o.adaptLr, shrinkage: this.o.adaptShrinkage }, model.trainedAdaptation);
            const adapted = adapt(model.params, rows, settings);
            timer.lap('adapt');
            this.o.metrics?.adaptationDuration.observe((timer.ms.adapt ?? 0) / 1000);
            this.o.metrics?.adaptationSteps.inc(settings.steps);
            try {
              return { adapted, scores: this.scorer.scoreWith(adapted, null, input) };
            } catch (error) {
              adapted.dispose();
              throw error;
            }
          });
          if (result.ok) {
            path = 'adapted';
            scores = result.value.scores;
            this.keep(request.userId, model, support.stateKey, result.value.adapted, input, scores);
          } else {
            this.o.metrics?.adaptationRefused.inc({ refusal: result.refusal });
            degraded.push(`adaptation refused (${result.refusal}): served from the prior`);
          }
        }
      }
      scores ??= this.scorer.scoreWithPrior(input);
      const order = this.order(request.userId, path, input, support.ratings, profiles.profiles, scores);
      const ratings = listRatings(model, ids, support.ratings.map((r) => r.item_id), support.ratings.map((r) => r.value ?? 0), scores);
      const items = topK(ids, order, request.k, ratings);
      timer.lap('rank');
      this.report(degraded, request.userId);
      this.o.metrics?.recommendations.inc({ path, endpoint: 'recommendations' });
      this.o.metrics?.observeStages(timer.ms);
      return {
        userId: request.userId,
        modelVersion: model.version,
        path,
        items,
        candidateCount: ids.length,
        supportCount: path === 'cold' ? 0 : support.ratings.length,
        degraded: publicReasons(degraded),
        timings: timer.ms,
      };
    } finally {
      lease.release();
    }
  }

  /**
   * The list order of the candidates (the bundle's list head, else the scores), memoised beside the
   * scores when the memo's owner fixes everything it depends on: a cached user model (its support
   * is fixed while it is cached) or the prior of a user without ratings. The user's rated items feed
   * the head even when adaptation was refused (the item-item part needs no adaptation).
   */
  private order(userId: string, path: ServingPath, input: ScoringInput, rated: readonly Interaction[], profiles: readonly (ItemProfile | null)[], scores: Float32Array): Float32Array {
    const { model, ids } = input;
    if (model.listHead === null) {
      return scores;
    }
    const memo = path === 'cold' ? (rated.length === 0 ? this.scorer.priorMemoOf(input) : null) : this.o.cache.memo(userId);
    const known = memo?.orderOf(ids) ?? null;
    if (known !== null) {
      return known;
    }
    const order = listOrder(
      this.itemCache,
      { model, epoch: input.epoch, ids, profiles: input.profiles, supportIds: rated.map((r) => r.item_id), supportProfiles: profiles.slice(ids.length, ids.length + rated.length) },
      scores,
    );
    memo?.rememberOrder(ids, order);
    return order;
  }

  /** The user's recent events (store + accepted feedback) and profile; empty when the store fails. */
  async userView(userId: string, degraded: string[]): Promise<UserView> {
    try {
      const stored = await withTimeout(this.o.reader.userContext(userId, this.o.recentLimit), this.o.timeoutMs, 'user context');
      return { recent: this.o.pending.merge(userId, stored.recent), profile: stored.profile, storeFailed: false };
    } catch (error) {
      degraded.push(`user context unavailable (${reasonOf(error)}): cached user model or cold path`);
      return { recent: this.o.pending.merge(userId, []), profile: null, storeFailed: true };
    }
  }

  /** Caches an adapted user (and the scores just computed) if its model still serves; otherwise frees it now. */
  private keep(userId: string, model: ServingModel, stateKey: string, adapted: AdaptedUser, input: ScoringInput, scores: Float32Array): void {
    if (this.o.holder.model !== model) {
      adapted.dispose();
      return;
    }
    this.scorer.remember(this.o.cache.set(userId, model.version, stateKey, adapted), input, scores);
    this.o.metrics?.userCacheEntries.set(this.o.cache.size);
  }

  /** Logs degradations at most once per 10 s per reason kind, and counts each. */
  report(degraded: readonly string[], userId: string): void {
    for (const reason of degraded) {
      const source = reason.slice(0, reason.indexOf(' ') > 0 ? reason.indexOf(' ') : reason.length);
      this.o.metrics?.degraded.inc({ source });
      const decision = this.degradedLog.admit(source);
      if (decision.log) {
        this.o.logger.warn({ reason, userId, suppressed: decision.suppressed }, 'serving degraded');
      }
    }
  }
}
