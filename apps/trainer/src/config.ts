import { env } from '@metarec/runtime';
import { z } from 'zod';

/** Every environment variable of the trainer app, with its default (printed by `describeConfig`). */
export const trainerConfigSchema = z.object({
  REDIS_URL: env.url('Redis of BullMQ and the training blobs (must run maxmemory-policy noeviction)', ['redis:', 'rediss:']).default('redis://localhost:6380'),
  METAREC_BACKEND: env.oneOf(['tensorflow', 'wasm', 'cpu'], 'tfjs backend of the compute threads and the coordinator (unset: fastest available)').optional(),
  TRAINER_HOST: env.string('interface of the worker /healthz and /metrics server').default('0.0.0.0'),
  TRAINER_PORT: env.port('port of the worker /healthz and /metrics server').default(9465),
  LOCK_DURATION_MS: env.int('BullMQ job lock, renewed every half of it while a step computes, ms', { min: 1_000 }).default(30_000),
  STALLED_INTERVAL_MS: env.int("how often workers look for jobs whose worker died, ms (a killed worker's shard restarts within lock + this)", { min: 500 }).default(15_000),
  MAX_STALLED_COUNT: env.int('times a shard may lose its worker before it fails', { min: 1 }).default(2),
  SHUTDOWN_DEADLINE_MS: env.int('SIGTERM: active shard jobs get this long to finish, ms', { min: 100 }).default(60_000),
  REGISTRY_TOKEN: env.string('bearer token for `trainer run --register` (registry writes)').optional(),
  DASHBOARD_TOKEN: env
    .string('access token of `trainer dashboard` (Bearer, or the Basic password with any user); required by that role, >= 16 characters, no placeholder')
    .optional(),
  DASHBOARD_PORT: env.port('port of `trainer dashboard` (board, run list, /healthz, /readyz, /metrics with the queue gauges)').default(9466),
  GIT_COMMIT: env.string('commit recorded in lineage (default: git rev-parse HEAD, else unknown)').optional(),
  LOG_LEVEL: env.oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], 'log level').default('info'),
});

/** The trainer app's typed configuration. */
export type TrainerConfig = z.output<typeof trainerConfigSchema>;
