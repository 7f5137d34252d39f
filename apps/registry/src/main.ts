import { mkdir } from 'node:fs/promises';

import {
  AliasManager,
  AliasWatcher,
  createTokenVerifier,
  DirectoryArtifactStore,
  migrate,
  ModelRegistry,
  RunStore,
  preloadQueries,
  withSearchPath,
} from '@metarec/registry';
import { createLogger, createMetricsRegistry, GracefulShutdown, readBuildInfo, runServiceCli } from '@metarec/runtime';
import pg from 'pg';
import { Counter } from 'prom-client';

import { buildApp } from './app.js';
import { registryConfigSchema } from './config.js';

async function main(): Promise<void> {
  // --help, --version and --help-config print and exit here, before the config is read or anything is created.
  const buildInfo = readBuildInfo({ packageJsonUrl: [new URL('../package.json', import.meta.url), new URL('package.json', import.meta.url)], env: process.env });
  const cli = await runServiceCli({
    name: 'registry',
    description: 'metarec model registry server: models, versions, aliases with a promotion gate, artifacts, the web page. Configured by environment variables only.',
    helpAfter: 'Serves the API (/api/v1), the page (/), /healthz, /readyz and /metrics on REGISTRY_HOST:REGISTRY_PORT; SIGTERM drains and exits.\nThe `registry` command (cli.ts) is the client of this server.',
    configSchema: registryConfigSchema,
    buildInfo,
    argv: process.argv,
    env: process.env,
  });
  if (cli.kind === 'exit') {
    process.exit(cli.code);
  }
  const config = cli.config;
  const logger = createLogger({ name: 'registry', level: config.LOG_LEVEL, base: { version: buildInfo.version, ...(buildInfo.commit === undefined ? {} : { commit: buildInfo.commit }) } });
  const metrics = createMetricsRegistry({ collectDefaultMetrics: true, defaultMetricsPrefix: 'metarec_registry_', defaultLabels: { app: 'registry' } });
  const corrupt = new Counter({ name: 'metarec_registry_artifact_corruptions_total', help: 'Blob reads whose bytes no longer matched their sha256', registers: [metrics] });
  const verifier = config.REGISTRY_TOKENS === undefined ? undefined : createTokenVerifier(config.REGISTRY_TOKENS);
  if (verifier === undefined) {
    logger.warn('REGISTRY_TOKENS is not set: the registry is read-only');
  }
  preloadQueries();

  const url = withSearchPath(config.DATABASE_URL, config.REGISTRY_DB_SCHEMA);
  const pool = new pg.Pool({ connectionString: url, max: config.REGISTRY_DB_POOL_MAX });
  pool.on('error', (error) => logger.error({ err: error }, 'idle pg client failed'));
  let ready = false;
  const shutdown = new GracefulShutdown({ deadlineMs: config.REGISTRY_SHUTDOWN_DEADLINE_MS, logger });

  await migrate({ pool, logger, createSchema: config.REGISTRY_DB_SCHEMA });
  const watcher = new AliasWatcher({
    connect: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    },
    channel: config.REGISTRY_NOTIFY_CHANNEL,
    logger,
  });
  await watcher.start();
  await mkdir(config.REGISTRY_ARTIFACT_DIR, { recursive: true });
  const store = new DirectoryArtifactStore({
    root: config.REGISTRY_ARTIFACT_DIR,
    onCorruption: (sha256) => {
      corrupt.inc();
      logger.error({ sha256 }, 'corrupt artifact detected; not served');
    },
  });
  const registry = new ModelRegistry({ pool, store, logger });
  const runs = new RunStore({ pool, store, logger });
  const aliases = new AliasManager({
    pool,
    store,
    logger,
    watcher,
    metrics,
    notifyChannel: config.REGISTRY_NOTIFY_CHANNEL,
    gatedAliases: config.REGISTRY_GATED_ALIASES,
    gatePolicy: { scenario: config.REGISTRY_GATE_SCENARIO, metric: config.REGISTRY_GATE_METRIC, better: config.REGISTRY_GATE_BETTER, tolerance: config.REGISTRY_GATE_TOLERANCE },
  });
  const app = await buildApp({
    registry,
    runs,
    aliases,
    store,
    logger,
    metrics,
    auth: { verifier, readAuth: config.REGISTRY_READ_AUTH },
    maxUploadBytes: config.REGISTRY_MAX_UPLOAD_BYTES,
    longPollMaxMs: config.REGISTRY_LONG_POLL_MAX_MS,
    importRoot: config.REGISTRY_IMPORT_ROOT,
    isReady: () => ready,
    version: buildInfo.version,
  });

  // Closing order (STYLE.md): readiness, HTTP (503 to newcomers, long-polls released, drain), then
  // the LISTEN connection (owned by the watcher), then the pool.
  shutdown
    .add('readiness', () => {
      ready = false;
    })
    .add('http', () => app.close())
    .add('alias-watcher', () => watcher.close())
    .add('pg-pool', () => pool.end());
  shutdown.onSignals((report) => process.exit(report.ok ? 0 : 1));

  await app.listen({ host: config.REGISTRY_HOST, port: config.REGISTRY_PORT });
  ready = true;
  logger.info({ host: config.REGISTRY_HOST, port: config.REGISTRY_PORT, schema: config.REGISTRY_DB_SCHEMA, artifacts: config.REGISTRY_ARTIFACT_DIR }, 'registry listening');
}

main().catch((error: unknown) => {
  // The logger may not exist yet (a failure before it); stderr is the only sure channel. Config errors exited with 2 above.
  process.stderr.write(`registry failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
