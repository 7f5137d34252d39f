// Composition root of the ingest app: config, clients, pipeline, probes, shutdown order.
import { mkdir } from 'node:fs/promises';

import { IngestMetrics, IngestPipeline, OfflineWriter, OnlineStore, type DeadLetterSink } from '@metarec/feature-store';
import { createLogger, createMetricsRegistry, GracefulShutdown, readBuildInfo, runServiceCli, type ShutdownReport } from '@metarec/runtime';
import { createKafkaClient } from '@metarec/streaming';
import { Redis } from 'ioredis';

import { buildApp } from './app.js';
import { ingestConfigSchema } from './config.js';

// --help, --version and --help-config print and exit here, before the config is read or anything is created.
const buildInfo = readBuildInfo({ packageJsonUrl: [new URL('../package.json', import.meta.url), new URL('package.json', import.meta.url)], env: process.env });
const cli = await runServiceCli({
  name: 'ingest',
  description: 'Kafka → validation → offline Arrow store + online Redis store, exactly once. Configured by environment variables only.',
  helpAfter: 'Serves /healthz, /readyz and /metrics on INGEST_HOST:INGEST_PORT; SIGTERM flushes, commits and exits.',
  configSchema: ingestConfigSchema,
  buildInfo,
  argv: process.argv,
  env: process.env,
});
if (cli.kind === 'exit') {
  process.exit(cli.code);
}
const config = cli.config;
const logger = createLogger({ name: 'ingest', level: config.LOG_LEVEL, redactPaths: ['config.REDIS_URL'] });
logger.info({ config, version: buildInfo.version, commit: buildInfo.commit }, 'ingest starting');
const registry = createMetricsRegistry({ collectDefaultMetrics: true, defaultMetricsPrefix: 'metarec_ingest_', defaultLabels: { app: 'ingest' } });
const shutdown = new GracefulShutdown({ deadlineMs: config.SHUTDOWN_DEADLINE_MS, logger });

const topics = { interactions: config.TOPIC_INTERACTIONS, userProfiles: config.TOPIC_USER_PROFILES, itemProfiles: config.TOPIC_ITEM_PROFILES };
const kafka = await createKafkaClient({ kind: config.KAFKA_CLIENT, brokers: config.KAFKA_BROKERS, clientId: config.INGEST_CLIENT_ID, logger });

// Dead letters are sized to what the dead-letter topic takes, as the broker reports it: one it
// refused would fail its batch on every redelivery and block the source partition (issue 17).
let maxDeadLetterBytes: number;
{
  const admin = await kafka.createTopicAdmin();
  try {
    if (config.CREATE_TOPICS) {
      const configs = { 'max.message.bytes': String(config.TOPIC_MAX_MESSAGE_BYTES) };
      const names = [...Object.values(topics), config.TOPIC_DEAD_LETTER];
      await admin.ensureTopics(names.map((topic) => ({ topic, partitions: config.TOPIC_PARTITIONS, configs })));
    }
    const limit = (await admin.topicConfigs(config.TOPIC_DEAD_LETTER)).get('max.message.bytes');
    maxDeadLetterBytes = Number(limit);
    if (!Number.isSafeInteger(maxDeadLetterBytes)) {
      throw new Error(`dead-letter topic ${config.TOPIC_DEAD_LETTER} reports max.message.bytes "${limit}"`);
    }
    logger.info({ topic: config.TOPIC_DEAD_LETTER, maxDeadLetterBytes }, 'dead letters sized to the dead-letter topic');
  } finally {
    await admin.close();
  }
}
await mkdir(config.OFFLINE_STORE_DIR, { recursive: true });

const redis = new Redis(config.REDIS_URL, { lazyConnect: true });
await redis.connect();
const producer = await kafka.createProducer();
const deadLetters: DeadLetterSink = {
  send: async (records) => {
    await producer.send(config.TOPIC_DEAD_LETTER, records);
  },
};

let kafkaUp = false;
let alive = true;
// The callbacks run only once the consumer is running, after `pipeline` exists.
const running = await kafka.createManualCommitConsumer({
  groupId: config.INGEST_GROUP_ID,
  partitionsConsumedConcurrently: config.PARTITIONS_CONSUMED_CONCURRENTLY,
  sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
  heartbeatIntervalMs: config.KAFKA_HEARTBEAT_INTERVAL_MS,
  onPartitionsRevoked: (partitions) => pipeline.revoke(partitions),
  onCrash: (_error, restarting) => {
    kafkaUp = restarting;
  },
});
const pipeline = new IngestPipeline({
  topics,
  offline: new OfflineWriter({ root: config.OFFLINE_STORE_DIR }),
  online: new OnlineStore({
    redis,
    keyPrefix: config.ONLINE_KEY_PREFIX,
    recentLimit: config.RECENT_LIMIT,
    coOccurrenceWindow: config.CO_OCCURRENCE_WINDOW,
    popularityWindowMs: config.POPULARITY_WINDOW_MS,
    popularityBucketMs: config.POPULARITY_BUCKET_MS,
    newestItemsLimit: config.NEWEST_ITEMS_LIMIT,
  }),
  deadLetters,
  committer: running,
  logger,
  metrics: new IngestMetrics(registry),
  flushRows: config.FLUSH_ROWS,
  flushAgeMs: config.FLUSH_AGE_MS,
  maxBufferedRows: config.MAX_BUFFERED_ROWS,
  maxMessageBytes: config.MAX_MESSAGE_BYTES,
  maxDeadLetterBytes,
  stuckAfterMs: config.STUCK_PARTITION_AFTER_MS,
  onFatal: () => {
    alive = false;
    void shutdown.run('pipeline failed').then(() => process.exit(1));
  },
});

await running.subscribe(pipeline.topicNames(), { fromBeginning: true });
pipeline.start();
await running.run((batch, context) => pipeline.handleBatch(batch, context));
kafkaUp = true;

const app = buildApp({
  registry,
  alive: () => alive,
  readiness: {
    kafka: () => kafkaUp,
    redis: () => redis.status === 'ready',
    partitions: () => {
      const stuck = pipeline.stuckPartitions();
      return { ok: stuck.length === 0, details: { stuck } };
    },
  },
});
await app.listen({ host: config.INGEST_HOST, port: config.INGEST_PORT });

// Closing order (STYLE.md): readiness off, HTTP, stop intake, flush + commit, leave the group, then clients.
shutdown
  .add('readiness', () => {
    kafkaUp = false;
  })
  .add('http', () => app.close())
  .add('kafka-intake', () => running.drain())
  .add('offline-flush-and-commit', () => pipeline.close())
  .add('kafka-consumer', () => running.close())
  .add('dead-letter-producer', () => producer.close())
  .add('redis', async () => {
    await redis.quit();
  });
shutdown.onSignals((report: ShutdownReport) => process.exit(report.ok ? 0 : 1));
logger.info({ topics: pipeline.topicNames(), port: config.INGEST_PORT }, 'ingest started');
