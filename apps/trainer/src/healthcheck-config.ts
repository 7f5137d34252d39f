import { env } from '@metarec/runtime';
import { z } from 'zod';

/** Environment of the image's health check (`healthcheck.ts`), with defaults. */
export const healthcheckConfigSchema = z.object({
  REDIS_URL: env.url('Redis of BullMQ and the training blobs', ['redis:', 'rediss:']).default('redis://localhost:6380'),
  TRAINER_PORT: env.port('port of the worker /healthz server').default(9465),
  DASHBOARD_PORT: env.port('port of the dashboard /healthz server (HEALTHCHECK_ROLE=dashboard)').default(9466),
  HEALTHCHECK_ROLE: env.oneOf(['worker', 'dashboard'], 'which HTTP role to check when TRAINER_RUN_ID is unset: `trainer worker` (TRAINER_PORT) or `trainer dashboard` (DASHBOARD_PORT)').default('worker'),
  TRAINER_RUN_ID: env.string('set in the coordinator (`run --run-id`) role: the run whose status heartbeat is checked').optional(),
  TRAINER_HEARTBEAT_MAX_AGE_MS: env.int('a running run whose status is older than this is unhealthy, ms (a meta-step plus validation must fit)', { min: 1_000 }).default(600_000),
  HEALTHCHECK_TIMEOUT_MS: env.int('give up on Redis or /healthz after this long, ms', { min: 100 }).default(3_000),
});

/** The health check's typed configuration. */
export type HealthcheckConfig = z.output<typeof healthcheckConfigSchema>;
