#!/usr/bin/env node
// metarec-pipeline: the demo main job (README). Run it with `npm run pipeline`, which first
// starts the dev services; or directly:
//   npx tsx --conditions=@metarec/source tools/pipeline/src/main.ts [options]
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';

import { createLogger, env, loadConfig } from '@metarec/runtime';
import { KafkaJsClient } from '@metarec/streaming';

import { formatSummary } from './format-summary.js';
import { runPipeline, type PipelineStage } from './run-pipeline.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const ConfigSchema = z.object({
  KAFKA_BROKERS: env.list('Kafka bootstrap brokers, host:port,...').default(['localhost:9092']),
  METAREC_PIPELINE_OUT_DIR: env.string('where the Arrow file goes').default(resolve(REPO_ROOT, '.data/pipeline')),
  LOG_LEVEL: env.oneOf(['debug', 'info', 'warn', 'error'], 'log level of the Kafka client').default('warn'),
});

const positiveInt = (name: string) => (raw: string): number => {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(`${name} must be a positive integer`);
  }
  return value;
};

interface Progress {
  update: (stage: PipelineStage, done: number, total: number) => void;
  stop: () => void;
}

/** Bars on a terminal; on a pipe or in CI (cli-progress draws nothing there) one line per finished stage. */
function progressReporter(): Progress {
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
  const bars = new cliProgress.MultiBar(
    { format: '{stage} [{bar}] {percentage}% | {value}/{total} messages', stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const byStage = new Map<PipelineStage, cliProgress.SingleBar>();
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

const program = new Command('metarec-pipeline')
  .description('Synthetic interactions → Kafka → consume → validate against the schema → one Arrow IPC file with the fingerprint')
  .option('--users <n>', 'synthetic users', positiveInt('--users'), 200)
  .option('--items <n>', 'synthetic items', positiveInt('--items'), 100)
  .option('--seed <n>', 'generator seed', positiveInt('--seed'), 7)
  .option('--partitions <n>', 'partitions of the run topic', positiveInt('--partitions'), 3)
  .option('--keep-topic', 'keep the run topic afterwards', false)
  .option('--json', 'print the summary as JSON on stdout', false)
  .action(async (opts: { users: number; items: number; seed: number; partitions: number; keepTopic: boolean; json: boolean }) => {
    const config = loadConfig(ConfigSchema);
    const logger = createLogger({ name: 'metarec-pipeline', level: config.LOG_LEVEL, destination: process.stderr });
    const streaming = new KafkaJsClient({ brokers: config.KAFKA_BROKERS, clientId: 'metarec-pipeline', logger });
    const bars = progressReporter();
    try {
      const summary = await runPipeline({
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
      console.log(opts.json ? JSON.stringify(summary, null, 2) : formatSummary(summary).join('\n'));
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
