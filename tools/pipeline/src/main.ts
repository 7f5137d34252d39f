#!/usr/bin/env node
// metarec-pipeline: the demo main job (README). Run it with `npm run pipeline`, which first
// starts the dev services; or directly:
//   npx tsx --conditions=@metarec/source tools/pipeline/src/main.ts [options]
// Only commander, zod and runtime load before the options are parsed: `--help` and `--version`
// answer without loading Kafka, BullMQ or tfjs (the pipeline's modules are imported in the action).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';

import { createLogger, env, loadConfig } from '@metarec/runtime';
import type { KafkaJsClient } from '@metarec/streaming';

import type { SchemaRoundTripStage } from './run-schema-round-trip.js';
import { PIPELINE_TRAINING } from './whole/pipeline-training.js';
import { findRatingsFile } from './world/world-source.js';
import type { WorldSource } from './world/world-source.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const VERSION = (JSON.parse(readFileSync(resolve(REPO_ROOT, 'tools/pipeline/package.json'), 'utf8')) as { version: string }).version;

const ConfigSchema = z.object({
  KAFKA_BROKERS: env.list('Kafka bootstrap brokers, host:port,...').default(['localhost:9092']),
  METAREC_PIPELINE_OUT_DIR: env.string('where the Arrow file (and each whole-pipeline run directory) goes').default(resolve(REPO_ROOT, '.data/pipeline')),
  REDIS_URL: env.url('Redis of the online store', ['redis:', 'rediss:']).default('redis://localhost:6380'),
  DATABASE_URL: env.url('PostgreSQL of the registry (a private schema per run)', ['postgres:', 'postgresql:']).default('postgres://metarec:metarec@localhost:55432/metarec'),
  LOG_LEVEL: env.oneOf(['debug', 'info', 'warn', 'error'], 'log level of the Kafka client').default('warn'),
  // Unset: the best available, tensorflow once `npm run setup:tensorflow` built it (the README commands
  // do), as in production; its training took 50 s vs 65 s on wasm (issue 15, docs/results.md).
  METAREC_BACKEND: env
    .oneOf(['tensorflow', 'wasm', 'cpu'], 'tfjs backend of every app the pipeline starts and of its held-out check (unset: the best available, tensorflow once built)')
    .optional(),
});

const positiveInt = (name: string) => (raw: string): number => {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(`${name} must be a positive integer`);
  }
  return value;
};

interface Progress {
  update: (stage: SchemaRoundTripStage, done: number, total: number) => void;
  stop: () => void;
}

/** Bars on a terminal; on a pipe or in CI (cli-progress draws nothing there) one line per finished stage. */
async function progressReporter(): Promise<Progress> {
  if (process.stderr.isTTY !== true) {
    return {
      update: (stage, done, total) => {
        if (done === total) {
          console.error(`${stage}: ${done}/${total} messages`);
        }
      },
      stop: () => undefined,
    };
  }
  const { default: cliProgress } = await import('cli-progress');
  const bars = new cliProgress.MultiBar(
    { format: '{stage} [{bar}] {percentage}% | {value}/{total} messages', stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const byStage = new Map<SchemaRoundTripStage, SingleBar>();
  return {
    update: (stage, done, total) => {
      let bar = byStage.get(stage);
      if (bar === undefined) {
        bar = bars.create(total, 0, { stage: stage.padEnd(7) });
        byStage.set(stage, bar);
      }
      bar.update(done, { stage: stage.padEnd(7) });
    },
    stop: () => bars.stop(),
  };
}

interface PipelineCliOptions {
  dataset: WorldSource['kind'];
  dataDir?: string;
  ratings?: string;
  timestampUnit?: 's' | 'ms';
  users: number;
  items: number;
  seed: number;
  partitions: number;
  keepTopic: boolean;
  json: boolean;
  trainSteps: number;
  latencyRequests: number;
  keepRunning: boolean;
  schemaOnly: boolean;
}

/** The run's data from the flags. @throws Error for `movielens`/`file` without their directory or file. */
async function worldSource(opts: PipelineCliOptions): Promise<WorldSource> {
  if (opts.dataset === 'synthetic') {
    return { kind: 'synthetic', users: opts.users, items: opts.items, seed: opts.seed };
  }
  if (opts.dataset === 'movielens') {
    if (opts.dataDir === undefined) {
      throw new Error('--dataset movielens needs --data-dir <dir> (ML-100K: u.data, u.item, u.user; ML-1M: ratings.dat, movies.dat, users.dat)');
    }
    return { kind: 'movielens', dir: resolve(opts.dataDir) };
  }
  return { kind: 'file', ratings: await findRatingsFile(opts.dataDir, opts.ratings), ...(opts.timestampUnit === undefined ? {} : { timestampUnit: opts.timestampUnit }) };
}

/** The whole pipeline; BullMQ gets a private Redis when `redis-server` is installed (queues of other runs stay apart). */
async function wholePipeline(streaming: KafkaJsClient, config: z.output<typeof ConfigSchema>, opts: PipelineCliOptions, world: WorldSource): Promise<number> {
  const { localRedisAvailable, startLocalRedis } = await import('@metarec/training/testing');
  const [{ runWholePipeline }, { formatWholeSummary }] = await Promise.all([import('./whole/run-whole-pipeline.js'), import('./whole/format-whole-summary.js')]);
  const trainingRedis = localRedisAvailable() ? await startLocalRedis() : null;
  try {
    const summary = await runWholePipeline({
      streaming,
      brokers: config.KAFKA_BROKERS,
      redisUrl: config.REDIS_URL,
      trainingRedisUrl: trainingRedis?.url ?? config.REDIS_URL,
      backend: config.METAREC_BACKEND,
      databaseUrl: config.DATABASE_URL,
      workDir: config.METAREC_PIPELINE_OUT_DIR,
      world,
      trainSteps: opts.trainSteps,
      latencyRequests: opts.latencyRequests,
      keepRunning: opts.keepRunning,
      log: (line) => console.error(line),
    });
    console.log(opts.json ? JSON.stringify({ ...summary, apps: undefined }, null, 2) : formatWholeSummary(summary, { keepRunning: opts.keepRunning }).join('\n'));
    if (opts.keepRunning) {
      console.error('apps running; Ctrl-C stops them');
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      for (const app of [...summary.apps].reverse()) {
        await app.stop();
      }
    }
    return summary.newUser.after.path === 'adapted' && summary.existingUser.response.items.length > 0 ? 0 : 1;
  } catch (error) {
    console.error(`metarec-pipeline failed: ${(error as Error).message}`);
    console.error('are the dev services up? npm run services:up');
    return 1;
  } finally {
    await trainingRedis?.stop();
  }
}

const program = new Command('metarec-pipeline')
  .version(VERSION)
  .description(
    'The whole pipeline: a world (synthetic by default, or MovieLens / a ratings file) → Kafka in event-time order → ingest → distributed meta-training + baselines → ' +
      'registry (gate, promote) → serving → an existing user, a new user (onboarding, feedback, adapted), a new item → a summary and a self-contained HTML run report. ' +
      '--schema-only: interactions → Kafka → validated Arrow file. `npm run pipeline` installs what is missing and starts Kafka, Redis and PostgreSQL first (not for --help).',
  )
  .addOption(new Option('--dataset <kind>', 'the data: a generated world, a MovieLens directory (ML-100K or ML-1M) or a ratings file').choices(['synthetic', 'movielens', 'file']).default('synthetic'))
  .option('--data-dir <dir>', 'directory of --dataset movielens (e.g. ../shared/datasets/movielens-100k) or of --dataset file (its ratings.csv, .tsv, .txt or .arrow)')
  .option('--ratings <file>', '--dataset file: the ratings file (columns user, item, rating[, timestamp], found by name or by count; any separator)')
  .addOption(new Option('--timestamp-unit <unit>', '--dataset file: unit of a numeric timestamp column').choices(['s', 'ms']))
  .option('--users <n>', 'synthetic users (1000: with 300, 215 training users are too few to meta-learn from and 38 held-out users too few to compare on)', positiveInt('--users'), 1000)
  .option('--items <n>', 'synthetic items', positiveInt('--items'), 200)
  .option('--train-steps <n>', 'meta-steps of the training run (at most: validation patience may stop it earlier)', positiveInt('--train-steps'), PIPELINE_TRAINING.steps)
  .option('--latency-requests <n>', 'requests of the serving latency sample', positiveInt('--latency-requests'), 300)
  .option('--keep-running', 'leave registry, ingest and serving up after the summary, so the registry page the summary and the report link answers (Ctrl-C stops them)', false)
  .option('--schema-only', 'only the schema round trip (no ingest, training or serving)', false)
  .option('--seed <n>', 'generator seed', positiveInt('--seed'), 7)
  .option('--partitions <n>', 'partitions of the run topic', positiveInt('--partitions'), 3)
  .option('--keep-topic', 'keep the run topic afterwards', false)
  .option('--json', 'print the summary as JSON on stdout', false)
  .action(async (opts: PipelineCliOptions) => {
    const config = loadConfig(ConfigSchema);
    // Flags first: a missing --data-dir is one line and exit code 2, before any client exists.
    let world: WorldSource | undefined;
    if (!opts.schemaOnly) {
      try {
        world = await worldSource(opts);
      } catch (error) {
        console.error(`metarec-pipeline: ${(error as Error).message}`);
        process.exitCode = 2;
        return;
      }
    }
    const logger = createLogger({ name: 'metarec-pipeline', level: config.LOG_LEVEL, destination: process.stderr });
    const { KafkaJsClient } = await import('@metarec/streaming');
    const streaming = new KafkaJsClient({ brokers: config.KAFKA_BROKERS, clientId: 'metarec-pipeline', logger });
    if (world !== undefined) {
      process.exitCode = await wholePipeline(streaming, config, opts, world);
      return;
    }
    const bars = await progressReporter();
    const [{ runSchemaRoundTrip }, { formatSchemaRoundTripSummary }] = await Promise.all([import('./run-schema-round-trip.js'), import('./format-schema-round-trip-summary.js')]);
    try {
      const summary = await runSchemaRoundTrip({
        streaming,
        outDir: config.METAREC_PIPELINE_OUT_DIR,
        users: opts.users,
        items: opts.items,
        seed: opts.seed,
        partitions: opts.partitions,
        keepTopic: opts.keepTopic,
        onProgress: bars.update,
      });
      bars.stop();
      console.log(opts.json ? JSON.stringify(summary, null, 2) : formatSchemaRoundTripSummary(summary).join('\n'));
      const ok = summary.rejectedAsExpected && summary.accepted === summary.generated && summary.file.rows === summary.accepted;
      process.exitCode = ok ? 0 : 1;
    } catch (error) {
      bars.stop();
      const code = (error as { code?: unknown }).code;
      console.error(`metarec-pipeline failed${typeof code === 'string' ? ` (${code})` : ''}: ${(error as Error).message}`);
      if (code === 'STREAM_CONNECT_FAILED') {
        console.error(`is Kafka running at ${config.KAFKA_BROKERS.join(',')}? start the dev services with: npm run services:up`);
      }
      process.exitCode = 1;
    }
  });

await program.parseAsync(process.argv);
