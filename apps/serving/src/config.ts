import { createTokenVerifier, isRegistryError } from '@metarec/registry';
import { env } from '@metarec/runtime';
import { z } from 'zod';

/** Token entries checked as the feedback verifier will take them: a bad one is a config error (one line, exit 2), not a stack trace. */
function checkTokens(entries: string[], ctx: z.RefinementCtx): void {
  try {
    createTokenVerifier(entries);
  } catch (error) {
    if (!isRegistryError(error)) {
      throw error;
    }
    ctx.addIssue({ code: 'custom', message: error.message });
  }
}

/** Every environment variable of the serving app, with its default (printed by `describeConfig`). */
export const servingConfigSchema = z.object({
  SERVING_HOST: env.string('interface the HTTP server listens on').default('0.0.0.0'),
  SERVING_PORT: env.port('port of the API, /healthz, /readyz and /metrics').default(8080),
  REDIS_URL: env.url('Redis URL of the online store (read only)', ['redis:', 'rediss:']).default('redis://localhost:6380'),
  ONLINE_KEY_PREFIX: env.string('prefix of every online-store key (as ingest writes them)').default('metarec:fs:'),
  RECENT_LIMIT: env.int('latest interactions read per user (at most what ingest keeps)', { min: 1 }).default(100),
  POPULARITY_WINDOW_MS: env.int('popularity window read from the online store; must equal ingest\'s, ms', { min: 1 }).default(86_400_000),
  POPULARITY_BUCKET_MS: env.int('popularity bucket length; must equal ingest\'s, ms', { min: 1 }).default(3_600_000),
  KAFKA_BROKERS: env.list('Kafka bootstrap brokers, host:port, comma-separated').default(['localhost:9092']),
  SERVING_CLIENT_ID: env.string('Kafka client id').default('metarec-serving'),
  TOPIC_INTERACTIONS: env.string('topic feedback events are produced to (ingest consumes it)').default('metarec.interactions'),
  FEEDBACK_TOKENS: env.list('service callers allowed to post feedback for any user, principal:token, comma-separated (unset with no FEEDBACK_SIGNING_KEY: feedback refused)').superRefine(checkTokens).optional(),
  FEEDBACK_SIGNING_KEY: env.string('key (>= 32 characters) of the per-user feedback session tokens recommendations carry (feedbackToken); unset: none issued').min(32, 'must be at least 32 characters').optional(),
  FEEDBACK_SESSION_TTL_MS: env.int('lifetime of a feedback session token, ms', { min: 1_000 }).default(3_600_000),
  FEEDBACK_RATE_PER_SEC: env.int('feedback events per second per caller (a service token, or a user session)', { min: 1 }).default(20),
  FEEDBACK_BURST: env.int('feedback events a caller may send above the rate in a burst', { min: 1 }).default(40),
  FEEDBACK_TIMEOUT_MS: env.int('a feedback event Kafka has not acknowledged within this is answered 503, ms', { min: 1 }).default(2_000),
  FEEDBACK_COOLDOWN_MS: env.int('after a failed feedback send, feedback is refused at once (503, Retry-After) for this long, ms', { min: 0 }).default(5_000),
  REGISTRY_URL: env.url("registry base URL (the registry's default port is 8081)", ['http:', 'https:']).default('http://localhost:8081'),
  REGISTRY_TOKEN: env.string('bearer token for the registry, if reads are guarded').optional(),
  MODEL_NAME: env.string('registry model served').default('melu'),
  MODEL_ALIAS: env.string('alias followed; its moves are hot-swapped').default('production'),
  MODEL_DIR: env.string('serve this local model directory instead of the registry (dev, baked images)').optional(),
  BUNDLE_CACHE_DIR: env.string('scratch directory for downloaded bundles').default('.data/serving-bundles'),
  REGISTRY_RETRY_MS: env.int('retry interval of the first model load while the registry has none, ms', { min: 100 }).default(5_000),
  CANDIDATES: env.int('candidates ranked per request', { min: 1, max: 100_000 }).default(500),
  NEW_ITEM_SHARE: env.number('share of the candidates reserved for new items (the store\'s newest, then popular ones unknown to the model)', { min: 0, max: 1 }).default(0.1),
  CO_OCCURRENCE_TTL_MS: env.int('a seed item\'s co-occurrence list is kept in process this long (the lists are rebuilt by a periodic job), ms', { min: 0 }).default(60_000),
  SCORE_MEMO_ENTRIES: env.int('longest candidate list whose scores a cached user model (and the prior) remembers for the next request (0: off, every request rescores all candidates)', { min: 0 }).default(2_000),
  MAX_K: env.int('largest k a caller may ask for', { min: 1, max: 10_000 }).default(100),
  ADAPT_STEPS: env.int('inner SGD steps at request time (unset: as the bundle was trained, else 5)', { min: 0, max: 100 }).optional(),
  ADAPT_LR: env.number('inner step size (unset: as the bundle was trained, else 0.01; Meta-SGD models use their learned rates)', { min: 0 }).optional(),
  ADAPT_SHRINKAGE: env.number('support-size shrinkage κ: each inner step × n/(n+κ) for n ratings (unset: as the bundle was calibrated on validation users, else 0)', { min: 0 }).optional(),
  ADAPT_RATE_PER_SEC: env.int('sustained adaptations per second per process', { min: 1 }).default(200),
  ADAPT_BURST: env.int('adaptations allowed above the rate in a burst', { min: 1 }).default(20),
  ADAPT_MAX_QUEUED: env.int('adaptations waiting their turn before new ones are served from the prior', { min: 1 }).default(16),
  USER_CACHE_MAX: env.int('adapted users kept in memory', { min: 1 }).default(2_000),
  USER_CACHE_TTL_MS: env.int('an adapted user is recomputed after this long, ms', { min: 1 }).default(300_000),
  USER_CONTEXT_CACHE_MAX: env.int('users whose recent events and profile are kept in process until Redis reports a change (CLIENT TRACKING; two more Redis connections); 0: read Redis on every request', { min: 0 }).default(10_000),
  USER_CONTEXT_CACHE_TTL_MS: env.int('a kept user context is read again after this long even without a change report, ms', { min: 1 }).default(60_000),
  STORE_TIMEOUT_MS: env.int('an online-store read slower than this degrades the answer, ms', { min: 1 }).default(50),
  METAREC_BACKEND: env.oneOf(['tensorflow', 'wasm', 'cpu'], 'tfjs backend (unset: the best available)').optional(),
  SHUTDOWN_READINESS_GRACE_MS: env.int('after SIGTERM, keep serving this long with /readyz at 503 before closing the listener, ms', { min: 0 }).default(2_000),
  SHUTDOWN_DEADLINE_MS: env.int('SIGTERM drain deadline, ms', { min: 100 }).default(10_000),
  LOG_LEVEL: env.oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], 'log level').default('info'),
  GIT_COMMIT: env.string('commit printed by --version and logged at start (unset: git rev-parse HEAD in a checkout)').optional(),
});

/** The serving app's typed configuration. */
export type ServingConfig = z.output<typeof servingConfigSchema>;
