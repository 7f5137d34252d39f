import { ConfigError, createMetricsRegistry, GracefulShutdown, type Logger } from '@metarec/runtime';
import { createDashboardAuth, type DashboardAuth, listRuns, QueueGauges, RunStore, TrainerQueues } from '@metarec/training';
import type { Redis } from 'ioredis';

import type { TrainerConfig } from './config.js';
import { buildDashboardServer } from './dashboard-app.js';

/** What `trainer dashboard` needs from `main.ts`. */
export interface DashboardRoleDeps {
  readonly config: TrainerConfig;
  readonly logger: Logger;
  /** Opens the Redis connection (BullMQ settings, eviction policy checked). */
  readonly connect: () => Promise<Redis>;
  /** Ends the process after a signal-driven shutdown (only `main.ts` exits). */
  readonly exit: (code: number) => void;
}

/**
 * `trainer dashboard`: bull-board over the trainer's queues, the run list, and `/metrics` with the
 * queue gauges, on `DASHBOARD_PORT`, behind `DASHBOARD_TOKEN`; SIGTERM closes it in order.
 * @throws ConfigError naming `DASHBOARD_TOKEN` when it is unset, short or a placeholder (before any I/O).
 */
export async function startDashboard(deps: DashboardRoleDeps): Promise<void> {
  const { config, logger } = deps;
  if (config.DASHBOARD_TOKEN === undefined) {
    throw new ConfigError([{ variable: 'DASHBOARD_TOKEN', message: 'required by `trainer dashboard` (the board can retry and remove jobs): set a secret of 16+ characters' }]);
  }
  let auth: DashboardAuth;
  try {
    auth = createDashboardAuth(config.DASHBOARD_TOKEN);
  } catch (error) {
    throw new ConfigError([{ variable: 'DASHBOARD_TOKEN', message: (error as Error).message }], { cause: error });
  }
  const registry = createMetricsRegistry({ collectDefaultMetrics: true, defaultMetricsPrefix: 'metarec_trainer_', defaultLabels: { app: 'trainer', role: 'dashboard' } });
  const redis = await deps.connect();
  const queues = new TrainerQueues({ connection: redis });
  await queues.waitUntilReady();
  // One set of queue gauges per deployment: here, not on every worker (N workers would report N copies).
  new QueueGauges({ registry, queues: queues.queues, logger });
  const store = new RunStore({ redis });
  let accepting = true;
  const app = await buildDashboardServer({
    registry,
    queues: queues.queues,
    auth,
    listRuns: (limit) => listRuns({ store, logger, limit, nowMs: Date.now() }),
    healthy: () => accepting,
    ready: () => accepting && redis.status === 'ready',
  });
  await app.listen({ host: config.TRAINER_HOST, port: config.DASHBOARD_PORT });
  const shutdown = new GracefulShutdown({ deadlineMs: config.SHUTDOWN_DEADLINE_MS, logger });
  shutdown
    .add('health', () => {
      accepting = false;
    })
    .add('http', () => app.close())
    .add('queues', () => queues.close())
    .add('redis', async () => {
      await redis.quit();
    });
  shutdown.onSignals((report) => deps.exit(report.ok ? 0 : 1));
  logger.info({ port: config.DASHBOARD_PORT, pid: process.pid }, 'trainer dashboard started');
}
