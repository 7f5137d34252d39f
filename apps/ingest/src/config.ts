import { env } from '@metarec/runtime';
import { z } from 'zod';

/** Every environment variable of the ingest app, with its default (printed by `describeConfig`). */
export const ingestConfigSchema = z.object({
  KAFKA_BROKERS: env.list('Kafka bootstrap brokers, host:port, comma-separated').default(['localhost:9092']),
  REDIS_URL: env.url('Redis URL of the online store', ['redis:', 'rediss:']).default('redis://localhost:6380'),
  INGEST_GROUP_ID: env.string('consumer group shared by all ingest instances').default('metarec-ingest'),
  INGEST_CLIENT_ID: env.string('Kafka client id').default('metarec-ingest'),
  TOPIC_INTERACTIONS: env.string('topic of interaction events (keyed by user id)').default('metarec.interactions'),
  TOPIC_USER_PROFILES: env.string('topic of user profiles (keyed by user id)').default('metarec.user-profiles'),
  TOPIC_ITEM_PROFILES: env.string('topic of item profiles (keyed by item id)').default('metarec.item-profiles'),
  TOPIC_DEAD_LETTER: env.string('dead-letter topic for messages that fail validation').default('metarec.ingest.dead-letter'),
  CREATE_TOPICS: env.boolean('create missing topics at start (dev, tests)').default(true),
  TOPIC_PARTITIONS: env.int('partition count of topics created at start', { min: 1, max: 1000 }).default(6),
  TOPIC_MAX_MESSAGE_BYTES: env.int('max.message.bytes of topics created at start', { min: 1024 }).default(16 * 1024 * 1024),
  OFFLINE_STORE_DIR: env.string('root directory of the offline Arrow store (shared by all instances)').default('.data/offline-store'),
  FLUSH_ROWS: env.int('offline flush once this many records are buffered', { min: 1 }).default(50_000),
  FLUSH_AGE_MS: env.int('offline flush once the oldest uncommitted message is this old, ms', { min: 1 }).default(5_000),
  MAX_BUFFERED_ROWS: env.int('back-pressure: batches wait for a flush above this many buffered records', { min: 1 }).default(200_000),
  MAX_MESSAGE_BYTES: env.int('larger payloads are dead-lettered (FS_MESSAGE_TOO_LARGE), bytes', { min: 1 }).default(1_048_576),
  STUCK_PARTITION_AFTER_MS: env.int('a partition with lag and no progress for this long is reported stuck (metric partition_stuck, /readyz 503), ms', { min: 1 }).default(60_000),
  KAFKA_SESSION_TIMEOUT_MS: env.int('the group drops a silent member (e.g. a killed pod) after this long, ms', { min: 6_000, max: 300_000 }).default(30_000),
  KAFKA_HEARTBEAT_INTERVAL_MS: env.int('consumer heartbeat interval (at most a third of the session timeout), ms', { min: 100 }).default(3_000),
  PARTITIONS_CONSUMED_CONCURRENTLY: env.int('partitions handled concurrently by one instance', { min: 1, max: 100 }).default(3),
  ONLINE_KEY_PREFIX: env.string('prefix of every online-store Redis key').default('metarec:fs:'),
  RECENT_LIMIT: env.int('latest interactions kept per user (N)', { min: 1 }).default(100),
  CO_OCCURRENCE_WINDOW: env.int("per-event co-occurrence: a new interaction pairs with this many of the user's latest items (0: off; the co-occurrence job rebuilds it instead)", { min: 0 }).default(0),
  POPULARITY_WINDOW_MS: env.int('popularity counts this trailing window, ms', { min: 1 }).default(86_400_000),
  POPULARITY_BUCKET_MS: env.int('popularity bucket length (divides the window), ms', { min: 1 }).default(3_600_000),
  NEWEST_ITEMS_LIMIT: env.int('items kept in the newest-items list (by first profile seen; oldest trimmed)', { min: 1 }).default(1000),
  INGEST_HOST: env.string('interface the probe/metrics server listens on').default('0.0.0.0'),
  INGEST_PORT: env.port('port of /healthz, /readyz, /metrics').default(9464),
  SHUTDOWN_DEADLINE_MS: env.int('SIGTERM drain deadline (flush + commit included), ms', { min: 100 }).default(20_000),
  LOG_LEVEL: env.oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], 'log level').default('info'),
  GIT_COMMIT: env.string('commit printed by --version and logged at start (unset: git rev-parse HEAD in a checkout)').optional(),
});

/** The ingest app's typed configuration. */
export type IngestConfig = z.output<typeof ingestConfigSchema>;
