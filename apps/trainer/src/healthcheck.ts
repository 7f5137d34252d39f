#!/usr/bin/env node
// The trainer image's HEALTHCHECK, for every pod role: a worker (`trainer worker`) answers GET
// /healthz on TRAINER_PORT, the dashboard (`trainer dashboard`, HEALTHCHECK_ROLE=dashboard) on
// DASHBOARD_PORT; a coordinator (`trainer run`, no HTTP server) is healthy while its run's
// status heartbeat in Redis is fresh (TRAINER_RUN_ID names the run). Exit 0 healthy, 1 not; one line
// on stdout says why (docker inspect shows it).
import { loadConfig } from '@metarec/runtime';
import type { RunStatus } from '@metarec/training';

import { healthcheckConfigSchema } from './healthcheck-config.js';
import { heartbeatVerdict, type HeartbeatVerdict } from './heartbeat.js';

const config = loadConfig(healthcheckConfigSchema);

async function httpVerdict(): Promise<HeartbeatVerdict> {
  const port = config.HEALTHCHECK_ROLE === 'dashboard' ? config.DASHBOARD_PORT : config.TRAINER_PORT;
  const url = `http://127.0.0.1:${port}/healthz`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(config.HEALTHCHECK_TIMEOUT_MS) });
    return { healthy: response.ok, reason: `GET ${url}: ${response.status}` };
  } catch (e) {
    return { healthy: false, reason: `GET ${url}: ${(e as Error).message}` };
  }
}

async function coordinatorVerdict(runId: string): Promise<HeartbeatVerdict> {
  // Loaded here only: @metarec/training brings tfjs (about a second of CPU), which a worker's check does not need.
  const { readRunStatus, RunStore, TrainingError } = await import('@metarec/training');
  const { Redis } = await import('ioredis');
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, connectTimeout: config.HEALTHCHECK_TIMEOUT_MS, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let status: RunStatus | undefined;
    try {
      status = await readRunStatus(new RunStore({ redis }), runId);
    } catch (e) {
      // A missing status is a verdict (unhealthy), not a failure of the check.
      if (!(e instanceof TrainingError && e.code === 'TRAIN_RUN_NOT_FOUND')) {
        throw e;
      }
    }
    return heartbeatVerdict(status, Date.now(), config.TRAINER_HEARTBEAT_MAX_AGE_MS);
  } catch (e) {
    return { healthy: false, reason: `run ${runId}: ${(e as Error).message}` };
  } finally {
    redis.disconnect();
  }
}

const verdict = config.TRAINER_RUN_ID === undefined ? await httpVerdict() : await coordinatorVerdict(config.TRAINER_RUN_ID);
process.stdout.write(`${verdict.healthy ? 'healthy' : 'unhealthy'}: ${verdict.reason}\n`);
process.exitCode = verdict.healthy ? 0 : 1;
