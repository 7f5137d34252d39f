// Public surface of @metarec/serving: the online request path as framework-free use cases.

// errors
export type { ServingErrorCode, ServingErrorOptions } from './errors.js';
export { ServingError } from './errors.js';

// features/
export type { FeatureReader, ItemCount } from './features/feature-reader.js';
export { withTimeout } from './features/feature-reader.js';

// model/
export type { ModelIdentity } from './model/serving-model.js';
export { loadServingModel, ServingModel } from './model/serving-model.js';
export type { HeldModel, ModelLease } from './model/model-holder.js';
export { ModelHolder } from './model/model-holder.js';
export type { AliasFollower, LoadOutcome, ModelUpdaterOptions } from './model/model-updater.js';
export { ModelUpdater } from './model/model-updater.js';
export type { RegistryAliasFollowerOptions } from './model/registry-follower.js';
export { registryAliasFollower } from './model/registry-follower.js';

// cache/
export type { UserModelCacheOptions } from './cache/user-model-cache.js';
export { DEFAULT_USER_MODEL_CACHE_OPTIONS, UserModelCache } from './cache/user-model-cache.js';
export type { ItemProfileCacheOptions, ItemProfilesResult } from './cache/item-profile-cache.js';
export { DEFAULT_ITEM_PROFILE_CACHE_OPTIONS, ItemProfileCache } from './cache/item-profile-cache.js';
export { EncodedItemCache } from './cache/encoded-item-cache.js';

// candidates/
export type { CandidateGeneratorOptions, CandidateRequest, Candidates } from './candidates/candidate-generator.js';
export { CandidateGenerator, DEFAULT_CANDIDATE_GENERATOR_OPTIONS } from './candidates/candidate-generator.js';

// adaptation/
export type { AdaptationGateOptions, GateRefusal, GateResult } from './adaptation/adaptation-gate.js';
export { AdaptationGate, DEFAULT_ADAPTATION_GATE_OPTIONS } from './adaptation/adaptation-gate.js';

// recommend/
export type { Recommendation, RecommenderOptions, RecommendRequest, UserView } from './recommend/recommender.js';
export { checkK, DEFAULT_RECOMMENDER_OPTIONS, Recommender } from './recommend/recommender.js';
export type { ScoredItem } from './recommend/rank.js';
export { topK } from './recommend/rank.js';
export { ScoreMemo, userFieldsKey } from './recommend/score-memo.js';
export type { RequestStage, StageTimings } from './recommend/request-timings.js';
export { REQUEST_STAGES, RequestTimer, serverTimingHeader } from './recommend/request-timings.js';
export type { SupportSet } from './recommend/support-set.js';
export { supportSet } from './recommend/support-set.js';

// onboarding/
export type { Onboarding, OnboardingItem, OnboardingRankerOptions } from './onboarding/onboarding-ranker.js';
export { DEFAULT_ONBOARDING_RANKER_OPTIONS, OnboardingRanker } from './onboarding/onboarding-ranker.js';

// feedback/
export type { FeedbackReceipt, FeedbackServiceOptions } from './feedback/feedback-service.js';
export { FeedbackService } from './feedback/feedback-service.js';
export type { PendingInteractionsOptions } from './feedback/pending-interactions.js';
export { DEFAULT_PENDING_INTERACTIONS_OPTIONS, PendingInteractions } from './feedback/pending-interactions.js';

// metrics/
export type { ServingPath } from './metrics/serving-metrics.js';
export { ServingMetrics } from './metrics/serving-metrics.js';
export type { UserContextCacheStatsSource } from './metrics/user-context-cache-metrics.js';
export { registerUserContextCacheMetrics } from './metrics/user-context-cache-metrics.js';

// service/
export type { ServingServiceOptions } from './service/serving-service.js';
export { ServingService } from './service/serving-service.js';
