// Public surface of @metarec/serving: the online request path as framework-free use cases.

// errors
export type { ServingErrorCode, ServingErrorOptions } from './errors.js';
export { ServingError } from './errors.js';

// features/
export type { FeatureReader, ItemCount } from './features/feature-reader.js';

// model/
export type { ModelIdentity } from './model/serving-model.js';
export { loadServingModel, type ServingModel } from './model/serving-model.js';
export type { HeldModel, ModelHolder, ModelLease } from './model/model-holder.js';
export type { AliasFollower, LoadOutcome, ModelUpdaterOptions } from './model/model-updater.js';
export { ModelUpdater } from './model/model-updater.js';
export type { RegistryAliasFollowerOptions } from './model/registry-follower.js';
export { registryAliasFollower } from './model/registry-follower.js';

// cache/
export type { UserModelCache, UserModelCacheOptions } from './cache/user-model-cache.js';
export type { ItemProfileCache, ItemProfileCacheOptions, ItemProfilesResult } from './cache/item-profile-cache.js';

// candidates/
export type { CandidateGenerator, CandidateGeneratorOptions, CandidateRequest, Candidates } from './candidates/candidate-generator.js';

// adaptation/
export type { AdaptationGate, AdaptationGateOptions, GateRefusal, GateResult } from './adaptation/adaptation-gate.js';

// recommend/
export type { Recommendation, Recommender, RecommenderOptions, RecommendRequest, UserView } from './recommend/recommender.js';
export type { ScoredItem } from './recommend/rank.js';
export type { ScoreMemo } from './recommend/score-memo.js';
export type { RequestStage, StageTimings } from './recommend/request-timings.js';
export { serverTimingHeader } from './recommend/request-timings.js';

// onboarding/
export type { Onboarding, OnboardingItem, OnboardingRanker, OnboardingRankerOptions } from './onboarding/onboarding-ranker.js';

// feedback/
export type { FeedbackReceipt, FeedbackService, FeedbackServiceOptions } from './feedback/feedback-service.js';
export type { FeedbackAuthOptions } from './feedback/feedback-auth.js';
export { DEFAULT_FEEDBACK_AUTH_OPTIONS, FeedbackAuth } from './feedback/feedback-auth.js';
export type { PendingInteractions, PendingInteractionsOptions } from './feedback/pending-interactions.js';

// metrics/
export type { ServingMetrics, ServingPath } from './metrics/serving-metrics.js';
export type { UserContextCacheStatsSource } from './metrics/user-context-cache-metrics.js';
export { registerUserContextCacheMetrics } from './metrics/user-context-cache-metrics.js';

// service/
export type { ServingServiceOptions } from './service/serving-service.js';
export { ServingService } from './service/serving-service.js';
