import { adaptedTensorBytes, reserveBackendMemory } from '@metarec/meta-learning';
import type { Logger } from '@metarec/runtime';
import type { EventProducer } from '@metarec/streaming';
import type { Registry } from 'prom-client';

import { AdaptationGate, type AdaptationGateOptions } from '../adaptation/adaptation-gate.js';
import { ItemProfileCache, type ItemProfileCacheOptions } from '../cache/item-profile-cache.js';
import { UserModelCache, type UserModelCacheOptions } from '../cache/user-model-cache.js';
import { CandidateGenerator, type CandidateGeneratorOptions } from '../candidates/candidate-generator.js';
import type { FeatureReader } from '../features/feature-reader.js';
import { FeedbackAuth, type FeedbackAuthOptions } from '../feedback/feedback-auth.js';
import { FeedbackService, type FeedbackServiceOptions } from '../feedback/feedback-service.js';
import { PendingInteractions, type PendingInteractionsOptions } from '../feedback/pending-interactions.js';
import { ServingMetrics } from '../metrics/serving-metrics.js';
import { ModelHolder } from '../model/model-holder.js';
import type { ServingModel } from '../model/serving-model.js';
import { OnboardingRanker, type OnboardingRankerOptions } from '../onboarding/onboarding-ranker.js';
import { Recommender, type RecommenderOptions } from '../recommend/recommender.js';

type Tuning<T, Wired extends keyof T> = Omit<T, Wired>;

/** Options of {@link ServingService}: the injected clients plus per-part tuning (each with its defaults). */
export interface ServingServiceOptions {
  /** Online store reads (`OnlineStore` of `@metarec/feature-store`). */
  readonly reader: FeatureReader;
  /** Idempotent Kafka producer for feedback. */
  readonly producer: EventProducer;
  /** Topic feedback is produced to. @defaultValue `'metarec.interactions'` */
  readonly interactionsTopic?: string;
  readonly logger: Logger;
  /** Metrics registry; metrics are skipped without one. */
  readonly registry?: Registry;
  readonly candidates?: Tuning<CandidateGeneratorOptions, 'reader'>;
  readonly itemProfiles?: Tuning<ItemProfileCacheOptions, 'reader'>;
  readonly userCache?: UserModelCacheOptions;
  readonly adaptationGate?: AdaptationGateOptions;
  readonly pending?: PendingInteractionsOptions;
  readonly recommender?: Tuning<RecommenderOptions, 'holder' | 'reader' | 'candidates' | 'items' | 'cache' | 'gate' | 'pending' | 'logger' | 'metrics'>;
  readonly onboarding?: Tuning<OnboardingRankerOptions, 'holder' | 'candidates' | 'items' | 'recommender' | 'metrics'>;
  readonly feedback?: Pick<FeedbackServiceOptions, 'sendTimeoutMs' | 'cooldownMs'> & { readonly auth?: FeedbackAuthOptions };
}

/**
 * Tensor heap kept free beyond the cached users for one request's transient tensors (MeLU: the
 * 500-candidate forward needs ~1 MB; generous, since a growth mid-request costs a full GC).
 */
const SCORING_WORKSPACE_BYTES = 32 * 2 ** 20;

/**
 * The serving use cases wired together around one model holder: recommendations, onboarding and
 * feedback share the candidate generator, the item-profile cache, the adapted-user cache and the
 * accepted-feedback overlay. Apps build one per process, load a model (`install` or a
 * `ModelUpdater` with `onSwap: service.onSwap`), and `close()` it last.
 */
export class ServingService {
  readonly holder = new ModelHolder<ServingModel>();
  readonly metrics: ServingMetrics | undefined;
  readonly cache: UserModelCache;
  readonly gate: AdaptationGate;
  readonly recommender: Recommender;
  readonly onboarding: OnboardingRanker;
  readonly feedback: FeedbackService;
  /** Who may post feedback; issues the per-user session tokens recommendations carry. */
  readonly feedbackAuth: FeedbackAuth;
  private readonly logger: Logger;
  private closed = false;

  /** @throws ServingError `SERVING_OPTIONS_INVALID` naming the option. */
  constructor(options: ServingServiceOptions) {
    this.logger = options.logger;
    this.metrics = options.registry === undefined ? undefined : new ServingMetrics(options.registry);
    const metrics = this.metrics === undefined ? {} : { metrics: this.metrics };
    const candidates = new CandidateGenerator({ ...options.candidates, reader: options.reader });
    const items = new ItemProfileCache({ ...options.itemProfiles, reader: options.reader });
    const pending = new PendingInteractions(options.pending);
    this.cache = new UserModelCache(options.userCache);
    this.gate = new AdaptationGate(options.adaptationGate);
    this.recommender = new Recommender({
      ...options.recommender,
      holder: this.holder,
      reader: options.reader,
      candidates,
      items,
      cache: this.cache,
      gate: this.gate,
      pending,
      logger: options.logger,
      ...metrics,
    });
    this.onboarding = new OnboardingRanker({ ...options.onboarding, holder: this.holder, candidates, items, recommender: this.recommender, ...metrics });
    this.feedbackAuth = new FeedbackAuth(options.feedback?.auth);
    this.feedback = new FeedbackService({
      sendTimeoutMs: options.feedback?.sendTimeoutMs,
      cooldownMs: options.feedback?.cooldownMs,
      auth: this.feedbackAuth,
      logger: options.logger,
      producer: options.producer,
      topic: options.interactionsTopic ?? 'metarec.interactions',
      cache: this.cache,
      pending,
      ...metrics,
    });
  }

  /** True once a model serves (readiness). */
  get ready(): boolean {
    return !this.closed && this.holder.model !== null;
  }

  /** The serving model's version, or null. */
  get modelVersion(): number | null {
    return this.holder.model?.version ?? null;
  }

  /** Installs a model directly (tests, a model baked into the image); see `ModelUpdater` for the registry path. */
  install(model: ServingModel): void {
    const previous = this.holder.swap(model);
    this.onSwap(model, previous);
  }

  /**
   * After a swap: drop users adapted from the old model, make room for a full cache of users
   * adapted from the new one (see {@link reserveBackendMemory}), publish the version. Pass to `ModelUpdater`.
   */
  readonly onSwap = (model: ServingModel, _previousVersion: number | null): void => {
    this.cache.retainVersion(model.version);
    const reservation = reserveBackendMemory(this.cache.capacity * adaptedTensorBytes(model.params.model) + SCORING_WORKSPACE_BYTES);
    if (reservation.grewBytes > 0) {
      this.logger.info(
        { backend: reservation.backend, heapMiB: Math.round(reservation.heapBytes / 2 ** 20), grewMiB: Math.round(reservation.grewBytes / 2 ** 20), userCacheCapacity: this.cache.capacity },
        'tensor heap grown for a full adapted-user cache',
      );
    }
    this.metrics?.modelVersion.set(model.version);
    this.metrics?.modelSwaps.inc({ outcome: 'loaded' });
    this.metrics?.userCacheEntries.set(this.cache.size);
  };

  /**
   * Stops admitting adaptations, frees cached users and the model (in-flight requests keep their
   * lease until they finish). Call after the HTTP server drained. Safe to call twice.
   */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.gate.close();
    this.cache.clear();
    this.holder.close();
    await Promise.resolve();
  }
}
