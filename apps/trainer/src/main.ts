#!/usr/bin/env node
// trainer: composition root. Parses argv and env, creates the Redis connection, builds objects from
// @metarec/training, runs one command and closes what it opened.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';

import { parseBackendName, selectBackend } from '@metarec/meta-learning';
import { RegistryClient } from '@metarec/registry';
import { addServiceCliOptions, createLogger, createMetricsRegistry, GracefulShutdown, loadServiceConfig, parseServiceCli, readBuildInfo, type Logger } from '@metarec/runtime';
import {
  assertNoEviction,
  ComputePool,
  Coordinator,
  createRunJobHandler,
  formatTuningTable,
  loadTaskSet,
  parseRunSpec,
  readRunStatus,
  registerRun,
  RegistryRunTracker,
  RunScheduler,
  RunStore,
  ShardProcessor,
  TrainingWorker,
  TrialProcessor,
  TuneCoordinator,
  TuneStore,
  WorkerMetrics,
  type RunStatus,
  type TuneProgress,
} from '@metarec/training';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { Redis } from 'ioredis';

import { buildProbeServer } from './app.js';
import { trainerConfigSchema, type TrainerConfig } from './config.js';
import { startDashboard } from './dashboard-role.js';

// The environment is read by the preAction hook below, once commander has parsed argv and before
// a command runs: --help, --version and --help-config exit earlier and never read it.
let config!: TrainerConfig;
// Logs go to stderr so stdout carries only command results (JSON), for scripts and tests.
// Replaced by one at the configured level in the hook; this one only reports a failure before it.
let logger: Logger = createLogger({ name: 'trainer', level: 'info', destination: process.stderr });
let backend: ReturnType<typeof parseBackendName> | undefined;

function gitCommit(): string {
  if (config.GIT_COMMIT !== undefined) {
    return config.GIT_COMMIT;
  }
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch (e) {
    logger.info({ err: (e as Error).message }, 'git rev-parse failed; lineage records commit unknown');
    return 'unknown';
  }
}

/** BullMQ needs `maxRetriesPerRequest: null`: commands wait through a Redis restart instead of failing. */
async function connect(): Promise<Redis> {
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true });
  await redis.connect();
  await assertNoEviction(redis);
  return redis;
}

async function readSpec(file: string): Promise<ReturnType<typeof parseRunSpec>> {
  return parseRunSpec(JSON.parse(await readFile(file, 'utf8')) as unknown);
}

async function selectMainBackend(): Promise<void> {
  const selection = await selectBackend({ ...(backend ? { preferred: backend } : {}), logger: { info: (m, f) => logger.info(f ?? {}, m), warn: (m, f) => logger.warn(f ?? {}, m) } });
  logger.info({ backend: selection.name, reason: selection.reason }, 'tfjs backend selected');
}

function progressBar(enabled: boolean): { onStatus: (s: RunStatus) => void; stop: () => void } {
  const bar = new SingleBar({ format: 'step {value}/{total} |{bar}| loss {loss} val {val} eta {eta_s}s', hideCursor: true, noTTYOutput: enabled, notTTYSchedule: 2000 });
  let started = false;
  return {
    onStatus: (s) => {
      if (!enabled || s.status !== 'running') {
        return;
      }
      const payload = { loss: s.loss?.toFixed(4) ?? '-', val: s.validationLoss?.toFixed(4) ?? '-' };
      if (!started) {
        bar.start(s.totalSteps, s.step, payload);
        started = true;
      }
      bar.update(s.step, payload);
    },
    stop: () => {
      if (started) {
        bar.stop();
      }
    },
  };
}

interface RunCommandOptions {
  readonly spec: string;
  readonly runId?: string;
  readonly progress: boolean;
  readonly register?: string;
  readonly model: string;
}

async function runCommand(options: RunCommandOptions): Promise<void> {
  const spec = await readSpec(options.spec);
  await selectMainBackend();
  const redis = await connect();
  const pool = new ComputePool({ threads: 1, ...(backend ? { backend } : {}) });
  const bar = progressBar(options.progress);
  const registryClient = options.register === undefined ? undefined : new RegistryClient({ baseUrl: options.register, ...(config.REGISTRY_TOKEN === undefined ? {} : { token: config.REGISTRY_TOKEN }) });
  // With --register, the run is recorded in the registry as it trains (spec, loss per step, evaluation, lineage).
  const tracker = registryClient === undefined ? undefined : new RegistryRunTracker({ client: registryClient, experiment: options.model, spec, logger });
  const onStatus = (s: RunStatus): void => {
    bar.onStatus(s);
    tracker?.onStatus(s);
  };
  const coordinator = new Coordinator({ connection: redis, store: new RunStore({ redis }), pool, logger, gitCommit: gitCommit(), onStatus, lease: RESUME_LEASE });
  const shutdown = new GracefulShutdown({ deadlineMs: config.SHUTDOWN_DEADLINE_MS, logger });
  shutdown
    .add('coordinator', () => coordinator.close())
    .add('compute-pool', () => pool.close())
    .add('redis', async () => {
      await redis.quit();
    });
  // SIGTERM stops the run between polls; `trainer run --run-id <id>` resumes it from its last checkpoint.
  shutdown.onSignals((report) => process.exit(report.ok ? 130 : 1));
  let code = 0;
  try {
    const result = await coordinator.run(spec, options.runId === undefined ? {} : { runId: options.runId });
    bar.stop();
    await tracker?.finish({ lineage: result.lineage, lineagePath: result.lineagePath });
    const registered =
      registryClient === undefined
        ? null
        : await registerRun({
            client: registryClient,
            model: options.model,
            modelDir: result.modelDir,
            lineage: result.lineage,
          });
    const summary = { runId: result.runId, steps: result.steps, modelDir: result.modelDir, lineagePath: result.lineagePath, evaluation: result.lineage.evaluation, registered };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } catch (e) {
    bar.stop();
    await tracker?.settle();
    logger.error({ code: (e as { code?: string }).code, err: (e as Error).message }, 'run failed');
    code = 1;
  }
  const report = await shutdown.run('run finished');
  process.exit(report.ok ? code : 1);
}

function tuneProgressBar(enabled: boolean): { onProgress: (p: TuneProgress) => void; stop: () => void } {
  const bar = new SingleBar({ format: 'tune {tuneId} jobs {value}/~{total} |{bar}| trials {started}/{trials} in flight {inFlight} best {best}', hideCursor: true, noTTYOutput: enabled, notTTYSchedule: 2000 });
  let started = false;
  return {
    onProgress: (p) => {
      if (!enabled) {
        return;
      }
      const payload = { tuneId: p.tuneId, started: p.trialsStarted, trials: p.trials, inFlight: p.inFlight, best: p.best?.toFixed(4) ?? '-' };
      if (!started) {
        bar.start(p.expectedJobs, p.results, payload);
        started = true;
      }
      // ASHA's job count is an expectation: asynchronous promotions may add a few.
      bar.setTotal(Math.max(p.expectedJobs, p.results));
      bar.update(p.results, payload);
    },
    stop: () => {
      if (started) {
        bar.stop();
      }
    },
  };
}

interface TuneCommandOptions {
  readonly spec: string;
  readonly writeSpec?: string;
  readonly resume: boolean;
  readonly parallel?: number;
  readonly progress: boolean;
}

async function tuneCommand(options: TuneCommandOptions): Promise<void> {
  const spec = await readSpec(options.spec);
  const redis = await connect();
  const bar = tuneProgressBar(options.progress);
  const coordinator = new TuneCoordinator({
    connection: redis,
    store: new TuneStore({ redis }),
    logger,
    onProgress: bar.onProgress,
    ...(options.parallel === undefined ? {} : { maxInFlight: options.parallel }),
  });
  const shutdown = new GracefulShutdown({ deadlineMs: config.SHUTDOWN_DEADLINE_MS, logger });
  shutdown.add('tune-coordinator', () => coordinator.close()).add('redis', async () => {
    await redis.quit();
  });
  // SIGTERM stops the search at its next poll (trials in flight finish on the workers); `trainer tune --resume` continues it.
  shutdown.onSignals((report) => process.exit(report.ok ? 130 : 1));
  let code = 0;
  try {
    const result = await coordinator.tune(spec, { resume: options.resume });
    bar.stop();
    if (options.writeSpec !== undefined && result.bestSpec !== null) {
      await writeFile(options.writeSpec, `${JSON.stringify(result.bestSpec, null, 2)}\n`);
    }
    const best = result.results.best;
    process.stdout.write(formatTuningTable(result.results));
    process.stdout.write(
      `\nsearch ${result.tuneId}: ${best === null ? 'no trial finished' : `best trial ${best.trial}, ${result.results.objective} ${best.metric.toFixed(4)} at ${best.steps} steps`}\nresults ${result.resultsPath}\n` +
        (options.writeSpec === undefined || result.bestSpec === null ? '' : `best spec ${options.writeSpec}\n`),
    );
  } catch (e) {
    bar.stop();
    logger.error({ code: (e as { code?: string }).code, err: (e as Error).message }, 'tune failed');
    code = 1;
  }
  const report = await shutdown.run('tune finished');
  process.exit(report.ok ? code : 1);
}

async function workerCommand(options: { concurrency: number; runs: boolean; name?: string }): Promise<void> {
  const registry = createMetricsRegistry({ collectDefaultMetrics: true, defaultMetricsPrefix: 'metarec_trainer_', defaultLabels: { app: 'trainer' } });
  const redis = await connect();
  const store = new RunStore({ redis });
  const pool = new ComputePool({
    threads: options.concurrency,
    ...(backend ? { backend } : {}),
    onReady: (info) => logger.info(info, 'compute thread ready'),
  });
  // The main thread scores tuning trials (adapt + predict on the held-out fold) and, with --runs, finishes runs.
  await selectMainBackend();
  let runHandlerParts: { coordinator: Coordinator; pool: ComputePool } | null = null;
  if (options.runs) {
    const validationPool = new ComputePool({ threads: 1, ...(backend ? { backend } : {}) });
    runHandlerParts = { pool: validationPool, coordinator: new Coordinator({ connection: redis, store, pool: validationPool, logger, gitCommit: gitCommit(), lease: RESUME_LEASE }) };
  }
  const worker = new TrainingWorker({
    connection: redis,
    processor: new ShardProcessor({ store, pool, loadTaskSet }),
    logger,
    metrics: new WorkerMetrics(registry),
    concurrency: options.concurrency,
    lockDurationMs: config.LOCK_DURATION_MS,
    stalledIntervalMs: config.STALLED_INTERVAL_MS,
    maxStalledCount: config.MAX_STALLED_COUNT,
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(runHandlerParts ? { runHandler: createRunJobHandler(runHandlerParts.coordinator) } : {}),
    // Trials of `trainer tune` run here too, so a search scales with the training workers.
    trialProcessor: new TrialProcessor({ store: new TuneStore({ redis }), pool, loadTaskSet, logger }),
  });
  await worker.waitUntilReady();
  let accepting = true;
  const healthy = (): boolean => accepting && worker.isHealthy();
  const app = buildProbeServer({ registry, healthy, ready: () => healthy() && redis.status === 'ready' });
  await app.listen({ host: config.TRAINER_HOST, port: config.TRAINER_PORT });
  // Closing order (STYLE.md): health off, HTTP, BullMQ workers (active shards finish), the run role, compute threads, Redis.
  const shutdown = new GracefulShutdown({ deadlineMs: config.SHUTDOWN_DEADLINE_MS, logger });
  shutdown
    .add('health', () => {
      accepting = false;
    })
    .add('http', () => app.close())
    .add('bullmq-workers', () => worker.close())
    .add('coordinator', async () => {
      await runHandlerParts?.coordinator.close();
      await runHandlerParts?.pool.close();
    })
    .add('compute-pool', () => pool.close())
    .add('redis', async () => {
      await redis.quit();
    });
  shutdown.onSignals((report) => process.exit(report.ok ? 0 : 1));
  logger.info({ concurrency: options.concurrency, runs: options.runs, port: config.TRAINER_PORT, pid: process.pid }, 'trainer worker started');
}

async function withScheduler<T>(fn: (scheduler: RunScheduler) => Promise<T>): Promise<T> {
  const redis = await connect();
  const scheduler = new RunScheduler({ connection: redis });
  try {
    return await fn(scheduler);
  } finally {
    await scheduler.close();
    await redis.quit();
  }
}

/**
 * A run id is leased by its coordinator for 15 s at a time; a resume (or a retried run job) waits out
 * a killed holder's lease, and a second live coordinator of the same run fails after the wait.
 */
const RESUME_LEASE = { ttlMs: 15_000, waitMs: 20_000 } as const;

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

const program = new Command('trainer').description('metarec distributed meta-training (BullMQ on Redis)');
program
  .command('run')
  .description('coordinate a run: enqueue shard jobs per meta-step, aggregate, checkpoint, write model + lineage')
  .requiredOption('--spec <file>', 'run spec JSON')
  .option('--run-id <id>', 'resume this run from its last checkpoint (or start it under this id)')
  .option('--no-progress', 'no progress bar')
  .option('--register <registryUrl>', 'register the model in the registry when the run succeeds (token: REGISTRY_TOKEN)')
  .option('--model <name>', 'registry model name for --register', 'melu')
  .action((o: RunCommandOptions) => runCommand(o));
program
  .command('worker')
  .description('process shard jobs and tuning trials (and, with --runs, scheduled run jobs); /healthz, /readyz and /metrics on TRAINER_PORT')
  .option('--concurrency <n>', 'shard jobs (and trials) at once (one compute thread each)', (v) => Number.parseInt(v, 10), 1)
  .option('--runs', 'also take run jobs (the coordinator role for scheduled runs)', false)
  .option('--name <name>', 'worker name stored on jobs')
  .action((o: { concurrency: number; runs: boolean; name?: string }) => workerCommand(o));
program
  .command('dashboard')
  .description('bull-board over the queues (inspect, retry failed jobs), run list with progress and ETA; queue gauges on /metrics; on DASHBOARD_PORT behind DASHBOARD_TOKEN')
  .action(() => startDashboard({ config, logger, connect, exit: (code) => process.exit(code) }));
program
  .command('tune')
  .description("hyperparameter search of a spec's search block: ASHA over trial jobs on the workers, k-fold over training users; prints the table, writes tuning.json")
  .requiredOption('--spec <file>', 'run spec JSON with a search block')
  .option('--write-spec <file>', 'write the best configuration as a run spec (for trainer run / trainer schedule)')
  .option('--resume', 'continue the stored search of this spec (after a kill or SIGTERM)', false)
  .option('--parallel <n>', 'trial jobs in flight at once (default: live worker slots)', (v) => Number.parseInt(v, 10))
  .option('--no-progress', 'no progress bar')
  .action((o: TuneCommandOptions) => tuneCommand(o));
program
  .command('schedule')
  .description('create or replace a cron schedule of a run spec (workers started with --runs execute it)')
  .requiredOption('--cron <pattern>', 'cron pattern (5 fields, or 6 with seconds first)')
  .requiredOption('--spec <file>', 'run spec JSON')
  .option('--id <id>', 'schedule id', 'nightly')
  .option('--tz <zone>', 'time zone of the pattern, e.g. Europe/Berlin')
  .action(async (o: { cron: string; spec: string; id: string; tz?: string }) => {
    const spec = await readSpec(o.spec);
    print(await withScheduler((s) => s.upsert(o.id, o.cron, spec, o.tz)));
  });
const schedules = program.command('schedules').description('list or remove schedules');
schedules.command('list').description('print every schedule (id, cron pattern, time zone, next run)').action(async () => print(await withScheduler((s) => s.list())));
schedules
  .command('remove <id>')
  .description('remove a schedule (exit code 1 when there was none)')
  .action(async (id: string) => {
    const removed = await withScheduler((s) => s.remove(id));
    print({ id, removed });
    process.exitCode = removed ? 0 : 1;
  });
program
  .command('status <runId>')
  .description("print a run's status (step, loss, validation, ETA; or its result or failure)")
  .action(async (runId: string) => {
    const redis = await connect();
    try {
      print(await readRunStatus(new RunStore({ redis }), runId));
    } finally {
      await redis.quit();
    }
  });

program.hook('preAction', () => {
  config = loadServiceConfig(trainerConfigSchema, process.env, { name: 'trainer' });
  logger = createLogger({ name: 'trainer', level: config.LOG_LEVEL, redactPaths: ['config.REDIS_URL'], destination: process.stderr });
  backend = config.METAREC_BACKEND === undefined ? undefined : parseBackendName(config.METAREC_BACKEND);
});
// After every command is defined: --version, --help-config and the help footer reach each one.
addServiceCliOptions(program, { name: 'trainer', buildInfo: readBuildInfo({ packageJsonUrl: [new URL('../package.json', import.meta.url), new URL('package.json', import.meta.url)], env: process.env }), configSchema: trainerConfigSchema });

try {
  const outcome = await parseServiceCli(program, process.argv);
  if (outcome.kind === 'exit') {
    process.exit(outcome.code);
  }
} catch (e) {
  logger.error({ code: (e as { code?: string }).code, err: (e as Error).message }, 'trainer command failed');
  process.exit(1);
}
