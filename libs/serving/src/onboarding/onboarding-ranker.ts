import { score, type ItemRows } from '@metarec/meta-learning';

import type { ItemProfileCache } from '../cache/item-profile-cache.js';
import type { CandidateGenerator } from '../candidates/candidate-generator.js';
import { requireInt, ServingError } from '../errors.js';
import { mergeOptions } from '@metarec/runtime';
import { publicReasons } from '../recommend/public-reasons.js';
import type { ServingMetrics } from '../metrics/serving-metrics.js';
import type { ModelHolder } from '../model/model-holder.js';
import type { ServingModel } from '../model/serving-model.js';
import { checkK, type Recommender } from '../recommend/recommender.js';
import { referenceUsers } from './reference-users.js';

/** Options of {@link OnboardingRanker}. */
export interface OnboardingRankerOptions {
  readonly holder: ModelHolder<ServingModel>;
  readonly candidates: CandidateGenerator;
  readonly items: ItemProfileCache;
  /** Reads the user (seen items) with the same degradation rules as recommendations. */
  readonly recommender: Recommender;
  readonly metrics?: ServingMetrics;
  /** Popular items considered. @defaultValue 200 */
  readonly poolSize?: number;
  /** Reference profiles the prior is evaluated on to measure how discriminative an item is. @defaultValue 16 */
  readonly referenceUsers?: number;
  /** Largest `k`. @defaultValue 50 */
  readonly maxK?: number;
}

/** Defaults laid under {@link OnboardingRankerOptions}. */
export const DEFAULT_ONBOARDING_RANKER_OPTIONS: Required<Pick<OnboardingRankerOptions, 'poolSize' | 'referenceUsers' | 'maxK'>> = { poolSize: 200, referenceUsers: 16, maxK: 50 };

/** An item worth asking a new user about, with the two parts of its evidence score. */
export interface OnboardingItem {
  readonly itemId: string;
  /** popularity × discrimination, each scaled to [0, 1] over the pool. */
  readonly evidence: number;
  /** 1 for the most popular item of the pool, falling linearly with rank. */
  readonly popularity: number;
  /** Standard deviation of the prior's prediction across reference users (rating points). */
  readonly discrimination: number;
}

/** The onboarding answer. */
export interface Onboarding {
  readonly userId: string;
  readonly modelVersion: number;
  readonly items: readonly OnboardingItem[];
  readonly degraded: readonly string[];
}

/**
 * MeLU's evidence candidates (Lee et al. 2019, §3.3): items a new user most likely knows
 * (popular) and whose rating best separates tastes (discriminative). Discrimination is the
 * spread of the meta-learned prior's predictions for the item across reference profiles that
 * span the attribute vocabularies; items the user already interacted with are left out.
 */
export class OnboardingRanker {
  private readonly o: typeof DEFAULT_ONBOARDING_RANKER_OPTIONS & OnboardingRankerOptions;
  private reference: { model: ServingModel; fields: Int32Array[] } | null = null;
  /** `spread`, bound once: the item cache calls it for items whose discrimination it does not hold. */
  private readonly derive = (model: ServingModel, items: ItemRows): Float64Array => this.spread(model, items);

  /** @throws ServingError `SERVING_OPTIONS_INVALID`. */
  constructor(options: OnboardingRankerOptions) {
    this.o = mergeOptions(DEFAULT_ONBOARDING_RANKER_OPTIONS, options);
    requireInt('poolSize', this.o.poolSize, 1, 10_000);
    requireInt('referenceUsers', this.o.referenceUsers, 2, 1_000);
    requireInt('maxK', this.o.maxK, 1, 10_000);
  }

  get maxK(): number {
    return this.o.maxK;
  }

  /** @throws ServingError `SERVING_INPUT_INVALID` (field `k`), `SERVING_NOT_READY`. */
  async onboarding(userId: string, k: number): Promise<Onboarding> {
    checkK(k, this.o.maxK);
    const lease = this.o.holder.acquire();
    if (lease === null) {
      throw new ServingError('SERVING_NOT_READY', 'no model loaded yet');
    }
    try {
      const model = lease.model;
      const degraded: string[] = [];
      const user = await this.o.recommender.userView(userId, degraded);
      const pool = await this.o.candidates.generate({ recent: user.recent, isNewItem: () => false, size: this.o.poolSize, newItemShare: 0 });
      degraded.push(...pool.degraded);
      const ids = pool.itemIds;
      const profiles = await this.o.items.get(ids);
      if (profiles.degraded !== null) {
        degraded.push(profiles.degraded);
      }
      // Discrimination depends on neither the user nor the request: held beside the item's encoded
      // row in the request path's item cache (per model and catalog epoch), so only items not
      // seen before are scored, 16 forward passes each, and an item is encoded once for both paths.
      const spread = this.o.recommender.itemCache.discrimination(model, this.o.items.epoch, ids, profiles.profiles, this.derive);
      const maxSpread = Math.max(...spread, Number.MIN_VALUE);
      const ranked = ids.map((itemId, i) => {
        const popularity = 1 - i / Math.max(1, ids.length);
        return { itemId, popularity, discrimination: spread[i], evidence: popularity * (spread[i] / maxSpread) };
      });
      ranked.sort((a, b) => b.evidence - a.evidence);
      this.o.recommender.report(degraded, userId);
      this.o.metrics?.recommendations.inc({ path: 'cold', endpoint: 'onboarding' });
      return { userId, modelVersion: model.version, items: ranked.slice(0, k), degraded: publicReasons(degraded) };
    } finally {
      lease.release();
    }
  }

  /** Per item, the standard deviation of the prior's predictions across the reference users. */
  private spread(model: ServingModel, items: ItemRows): Float64Array {
    const n = items.count;
    if (this.reference?.model !== model) {
      this.reference = { model, fields: referenceUsers(model, this.o.referenceUsers).map((u) => model.encodeUser(u)) };
    }
    const sum = new Float64Array(n);
    const sumSq = new Float64Array(n);
    for (const fields of this.reference.fields) {
      const s = score(model.prior, fields, items);
      for (let i = 0; i < n; i++) {
        sum[i] += s[i];
        sumSq[i] += s[i] * s[i];
      }
    }
    const r = this.reference.fields.length;
    return sum.map((total, i) => Math.sqrt(Math.max(0, sumSq[i] / r - (total / r) ** 2)));
  }
}
