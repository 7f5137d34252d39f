// Composition root of the serving app: config, backend, clients, use cases, model loading, HTTP, shutdown order.
import { OnlineStore, UserContextNearCache } from '@metarec/feature-store';
import { selectBackend } from '@metarec/meta-learning';
import { RegistryClient } from '@metarec/registry';
import { createLogger, createMetricsRegistry, GracefulShutdown, readBuildInfo, runServiceCli, type ShutdownReport } from '@metarec/runtime';
import { InteractionSchema } from '@metarec/schemas';
import { loadServingModel, ModelUpdater, registerUserContextCacheMetrics, registryAliasFollower, ServingService, type FeatureReader } from '@metarec/serving';
import { createKafkaClient } from '@metarec/streaming';
import { Redis } from 'ioredis';

import { buildApp } from './app.js';
import { servingConfigSchema } from './config.js';

// --help, --version and --help-config print and exit here, before the config is read or anything is created.
const buildInfo = readBuildInfo({ packageJsonUrl: [new URL('../package.json', import.meta.url), new URL('package.json', import.meta.url)], env: process.env });
const cli = await runServiceCli({
  name: 'serving',
  description: 'metarec online serving: recommendations with per-user fast adaptation, onboarding, feedback to Kafka, model hot swap from the registry. Configured by environment variables only.',
  helpAfter: 'Serves the API (/v1), /healthz, /readyz and /metrics on SERVING_HOST:SERVING_PORT; SIGTERM turns /readyz 503, drains and exits.',
  configSchema: servingConfigSchema,
  buildInfo,
  argv: process.argv,
  env: process.env,
});
if (cli.kind === 'exit') {
  process.exit(cli.code);
}
const config = cli.config;
const logger = createLogger({ name: 'serving', level: config.LOG_LEVEL, redactPaths: ['config.REDIS_URL', 'config.REGISTRY_TOKEN', 'config.FEEDBACK_TOKENS', 'config.FEEDBACK_SIGNING_KEY'] });
logger.info({ config, version: buildInfo.version, commit: buildInfo.commit }, 'serving starting');
const backend = await selectBackend({
  ...(config.METAREC_BACKEND === undefined ? {} : { preferred: config.METAREC_BACKEND }),
  logger: { info: (message, fields) => logger.info(fields ?? {}, message), warn: (message, fields) => logger.warn(fields ?? {}, message) },
});
logger.info({ backend: backend.name, reason: backend.reason }, 'tfjs backend selected');
const registry = createMetricsRegistry({ collectDefaultMetrics: true, defaultMetricsPrefix: 'metarec_serving_', defaultLabels: { app: 'serving' } });
const shutdown = new GracefulShutdown({ deadlineMs: config.SHUTDOWN_DEADLINE_MS, logger });

// Fail fast while Redis is away (no offline queue, one retry, a command timeout): the request
// path degrades to the cold path instead of queueing behind a reconnect.
const redisOptions = { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: config.STORE_TIMEOUT_MS * 4 } as const;
const connections: Redis[] = [];
async function connectRedis(role: string, extra: { autoResubscribe?: boolean } = {}): Promise<Redis> {
  const client = new Redis(config.REDIS_URL, { ...redisOptions, ...extra });
  client.on('error', (error: Error) => logger.debug({ err: error, role }, 'redis connection error'));
  connections.push(client);
  await client.connect().catch((error: unknown) => logger.warn({ err: error, role }, 'redis unavailable at start; serving degraded until it is back'));
  return client;
}
const storeOptions = {
  keyPrefix: config.ONLINE_KEY_PREFIX,
  recentLimit: config.RECENT_LIMIT,
  popularityWindowMs: config.POPULARITY_WINDOW_MS,
  popularityBucketMs: config.POPULARITY_BUCKET_MS,
};
const online = new OnlineStore({ redis: await connectRedis('online store'), ...storeOptions });
// Users' contexts are kept in process until Redis reports a change (CLIENT TRACKING): a repeat
// request of an unchanged user needs no round trip. Its own read connection (the one tracked)
// and an invalidation subscriber; off with USER_CONTEXT_CACHE_MAX=0.
let userContexts: UserContextNearCache | null = null;
if (config.USER_CONTEXT_CACHE_MAX > 0) {
  userContexts = new UserContextNearCache({
    store: { redis: await connectRedis('user contexts (tracked)'), ...storeOptions },
    subscriber: await connectRedis('invalidations', { autoResubscribe: false }),
    maxEntries: config.USER_CONTEXT_CACHE_MAX,
    ttlMs: config.USER_CONTEXT_CACHE_TTL_MS,
    onStateChange: (tracking, reason) => logger.info({ tracking, reason }, 'user-context cache'),
  });
  await userContexts.start();
  registerUserContextCacheMetrics(registry, userContexts);
}
const nearCache = userContexts;
const reader: FeatureReader =
  nearCache === null
    ? online
    : {
        userContext: (userId, limit) => nearCache.userContext(userId, limit ?? config.RECENT_LIMIT),
        itemProfiles: (itemIds) => online.itemProfiles(itemIds),
        topPopular: (k, nowMs) => online.topPopular(k, nowMs),
        coOccurring: (itemId, k) => online.coOccurring(itemId, k),
        newestItems: (limit) => online.newestItems(limit),
      };
const kafka = await createKafkaClient({ kind: config.KAFKA_CLIENT, brokers: config.KAFKA_BROKERS, clientId: config.SERVING_CLIENT_ID, logger });
const producer = await kafka.createProducer();

const service = new ServingService({
  reader,
  producer,
  interactionsTopic: config.TOPIC_INTERACTIONS,
  logger,
  registry,
  candidates: { size: config.CANDIDATES, timeoutMs: config.STORE_TIMEOUT_MS, newItemShare: config.NEW_ITEM_SHARE, coOccurrenceTtlMs: config.CO_OCCURRENCE_TTL_MS },
  itemProfiles: { timeoutMs: config.STORE_TIMEOUT_MS * 2 },
  userCache: { maxEntries: config.USER_CACHE_MAX, ttlMs: config.USER_CACHE_TTL_MS, scoreMemoEntries: config.SCORE_MEMO_ENTRIES },
  adaptationGate: { ratePerSec: config.ADAPT_RATE_PER_SEC, burst: config.ADAPT_BURST, maxQueued: config.ADAPT_MAX_QUEUED },
  recommender: {
    adaptSteps: config.ADAPT_STEPS,
    adaptLr: config.ADAPT_LR,
    adaptShrinkage: config.ADAPT_SHRINKAGE,
    maxK: config.MAX_K,
    timeoutMs: config.STORE_TIMEOUT_MS,
    recentLimit: config.RECENT_LIMIT,
    scoreMemoEntries: config.SCORE_MEMO_ENTRIES,
  },
  feedback: {
    sendTimeoutMs: config.FEEDBACK_TIMEOUT_MS,
    cooldownMs: config.FEEDBACK_COOLDOWN_MS,
    auth: {
      ...(config.FEEDBACK_TOKENS === undefined ? {} : { tokens: config.FEEDBACK_TOKENS }),
      ...(config.FEEDBACK_SIGNING_KEY === undefined ? {} : { signingKey: config.FEEDBACK_SIGNING_KEY }),
      sessionTtlMs: config.FEEDBACK_SESSION_TTL_MS,
      ratePerSec: config.FEEDBACK_RATE_PER_SEC,
      burst: config.FEEDBACK_BURST,
    },
  },
});

let accepting = true;
const follow = new AbortController();
let readinessDetails: () => Record<string, unknown> = () => ({});
if (config.MODEL_DIR !== undefined) {
  service.install(await loadServingModel(config.MODEL_DIR, 0));
  logger.info({ dir: config.MODEL_DIR }, 'serving a local model directory (no registry)');
} else {
  const client = new RegistryClient({ baseUrl: config.REGISTRY_URL, ...(config.REGISTRY_TOKEN === undefined ? {} : { token: config.REGISTRY_TOKEN }) });
  const updater = new ModelUpdater({
    holder: service.holder,
    source: client,
    modelName: config.MODEL_NAME,
    cacheDir: config.BUNDLE_CACHE_DIR,
    readableFingerprints: new Set([InteractionSchema.fingerprint]),
    logger,
    onSwap: service.onSwap,
    onRefused: () => service.metrics?.modelSwaps.inc({ outcome: 'refused' }),
    onFallback: (fallback) => service.metrics?.modelFallbackFrom.set(fallback?.wanted ?? 0),
  });
  readinessDetails = () => (updater.fallback === null ? {} : { fallback: updater.fallback });
  // First load in the background: /readyz stays 503 until it succeeds, /healthz is 200 meanwhile.
  const firstLoad = async (): Promise<void> => {
    while (!follow.signal.aborted && !service.ready) {
      try {
        // A corrupt bundle behind the alias must not keep a new pod unready: the newest earlier version that verifies serves meanwhile.
        await updater.loadWithFallback(config.MODEL_ALIAS);
      } catch (error) {
        logger.warn({ err: error, retryMs: config.REGISTRY_RETRY_MS }, 'no model loaded yet; retrying');
        await new Promise((resolve) => setTimeout(resolve, config.REGISTRY_RETRY_MS));
      }
    }
  };
  void firstLoad()
    .then(() => updater.follow(registryAliasFollower({ client, modelName: config.MODEL_NAME, alias: config.MODEL_ALIAS, logger }), follow.signal))
    .catch((error: unknown) => logger.error({ err: error }, 'following the registry stopped; serving the loaded model without hot swaps'));
}

const app = buildApp({ service, registry, accepting: () => accepting, logger, readinessDetails: () => readinessDetails() });
await app.listen({ host: config.SERVING_HOST, port: config.SERVING_PORT });

// Closing order (STYLE.md): readiness off, HTTP drain (503 to newcomers), stop following the
// registry, free models and caches, then the clients.
shutdown
  .add('readiness', async (signal) => {
    accepting = false;
    // Keep answering while the load balancer notices /readyz went 503 (Kubernetes removes the
    // endpoint asynchronously); only then stop listening, so no request is cut mid-flight.
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, config.SHUTDOWN_READINESS_GRACE_MS);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  })
  .add('http', () => app.close())
  .add('registry-follow', () => follow.abort())
  .add('serving', () => service.close())
  .add('feedback-producer', () => producer.close())
  .add('redis', async () => {
    nearCache?.close();
    // quit() needs a live connection; a client still reconnecting is just disconnected.
    await Promise.all(connections.map((client) => (client.status === 'ready' ? client.quit() : client.disconnect())));
  });
shutdown.onSignals((report: ShutdownReport) => process.exit(report.ok ? 0 : 1));
logger.info({ port: config.SERVING_PORT, modelAlias: config.MODEL_ALIAS }, 'serving started');
