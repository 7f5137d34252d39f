import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';

import { errorCodeOf, TrainingError, UNRECOVERABLE_CODES } from '../errors.js';
import {
  assertSmallJson,
  parsePayload,
  RUN_QUEUE,
  runJobSchema,
  SHARD_QUEUE,
  shardJobSchema,
  trialJobSchema,
  TUNE_QUEUE,
  type RunJobData,
  type ShardJobResult,
  type TrialResult,
} from '../queue/job-contracts.js';
import { wallMs, type TraceSink } from '../trace/step-trace.js';
import type { TrialProcessor } from '../tune/trial-processor.js';
import type { ShardProcessor } from './shard-processor.js';
import type { WorkerMetrics } from './worker-metrics.js';
import { WorkerPresence } from './worker-presence.js';

/** Logger the worker reports to (pino-compatible subset). */
export interface TrainingLogger {
  info(fields: Readonly<Record<string, unknown>>, message: string): void;
  warn(fields: Readonly<Record<string, unknown>>, message: string): void;
  error(fields: Readonly<Record<string, unknown>>, message: string): void;
}

/** Handles a run job (the coordinator role); returns a small JSON summary. */
export type RunJobHandler = (data: RunJobData, job: { readonly id: string; updateProgress(progress: object): Promise<void> }) => Promise<unknown>;

/** Options of {@link TrainingWorker}. */
export interface TrainingWorkerOptions {
  /** BullMQ connection (ioredis with `maxRetriesPerRequest: null`); shared, never quit here. */
  readonly connection: Redis;
  readonly processor: ShardProcessor;
  readonly logger: TrainingLogger;
  readonly metrics?: WorkerMetrics;
  /** Shard jobs processed at once (match the compute pool's threads). @defaultValue 1 */
  readonly concurrency?: number;
  /**
   * Job lock lifetime, ms; renewed every half of it by the main thread, which stays free
   * because meta-steps run in compute threads. @defaultValue 30_000
   */
  readonly lockDurationMs?: number;
  /** Interval of the stalled-job check, ms (a dead worker's job is retried after ≤ lock + this). @defaultValue 15_000 */
  readonly stalledIntervalMs?: number;
  /** Times a job may stall (its worker died) before it fails. @defaultValue 2 */
  readonly maxStalledCount?: number;
  /** Also take run jobs (scheduled runs) with this handler, one at a time. @defaultValue undefined (shards only) */
  readonly runHandler?: RunJobHandler;
  /**
   * Also take tuning trials (`trainer tune`) with this processor, `concurrency` at a time, so a
   * search runs on the workers that train (more workers, more trials at once). @defaultValue undefined (no trials)
   */
  readonly trialProcessor?: TrialProcessor;
  /** Worker name stored on jobs (which pod ran it), also its id in the live-worker announcements. @defaultValue hostname-pid-random */
  readonly name?: string;
  /** Heartbeat of the live-worker announcement (`sharding: 'live-workers'` counts these), ms. @defaultValue 5_000 */
  readonly presenceHeartbeatMs?: number;
  /** Receives `worker.pickup` (job added → processing starts) and `worker.job` spans. @defaultValue undefined (none) */
  readonly trace?: TraceSink;
}

/** Defaults of {@link TrainingWorkerOptions}. */
export const DEFAULT_TRAINING_WORKER_OPTIONS = { concurrency: 1, lockDurationMs: 30_000, stalledIntervalMs: 15_000, maxStalledCount: 2 } as const;

/**
 * The BullMQ shell around {@link ShardProcessor} (and, optionally, run jobs and tuning trials): validates payloads,
 * caps return values, turns unrecoverable codes into `UnrecoverableError` so poison jobs fail
 * once, and counts jobs. `close()` stops taking jobs and lets active ones finish.
 */
export class TrainingWorker {
  private readonly workers: Worker[] = [];
  private readonly o: TrainingWorkerOptions & typeof DEFAULT_TRAINING_WORKER_OPTIONS;
  private closing: Promise<void> | null = null;
  private readonly presence: WorkerPresence;

  /** @throws TrainingError `TRAIN_OPTIONS_INVALID`. */
  constructor(options: TrainingWorkerOptions) {
    this.o = { ...DEFAULT_TRAINING_WORKER_OPTIONS, ...options } as TrainingWorkerOptions & typeof DEFAULT_TRAINING_WORKER_OPTIONS;
    const positive: Array<[string, number]> = [
      ['concurrency', this.o.concurrency],
      ['lockDurationMs', this.o.lockDurationMs],
      ['stalledIntervalMs', this.o.stalledIntervalMs],
      ['maxStalledCount', this.o.maxStalledCount],
    ];
    for (const [field, value] of positive) {
      if (!Number.isInteger(value) || value < 1) {
        throw new TrainingError('TRAIN_OPTIONS_INVALID', `TrainingWorkerOptions.${field} must be a positive integer`, { field });
      }
    }
    const common = {
      connection: this.o.connection,
      lockDuration: this.o.lockDurationMs,
      stalledInterval: this.o.stalledIntervalMs,
      maxStalledCount: this.o.maxStalledCount,
      ...(this.o.name === undefined ? {} : { name: this.o.name }),
    };
    this.presence = new WorkerPresence({
      redis: this.o.connection,
      workerId: this.o.name ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
      slots: this.o.concurrency,
      logger: this.o.logger,
      ...(this.o.presenceHeartbeatMs === undefined ? {} : { heartbeatMs: this.o.presenceHeartbeatMs, ttlMs: 3 * this.o.presenceHeartbeatMs }),
    });
    // Announced from the start, like the BullMQ workers, which take jobs from construction on.
    this.presence.start().catch((error: unknown) => this.o.logger.warn({ err: String(error) }, 'first worker announcement failed; retrying on the heartbeat'));
    this.workers.push(new Worker(SHARD_QUEUE, (job: Job) => this.processShard(job), { ...common, concurrency: this.o.concurrency }));
    const runHandler = this.o.runHandler;
    if (runHandler !== undefined) {
      this.workers.push(new Worker(RUN_QUEUE, (job: Job) => this.processRun(job, runHandler), { ...common, concurrency: 1 }));
    }
    const trialProcessor = this.o.trialProcessor;
    if (trialProcessor !== undefined) {
      this.workers.push(new Worker(TUNE_QUEUE, (job: Job) => this.processTrial(job, trialProcessor), { ...common, concurrency: this.o.concurrency }));
    }
    for (const worker of this.workers) {
      worker.on('failed', (job, error) => {
        this.o.metrics?.jobs.inc({ queue: worker.name, outcome: 'failed' });
        this.o.logger.warn({ queue: worker.name, jobId: job?.id, attemptsMade: job?.attemptsMade, code: errorCodeOf(error), err: error.message }, 'job failed');
      });
      worker.on('completed', () => this.o.metrics?.jobs.inc({ queue: worker.name, outcome: 'completed' }));
      worker.on('stalled', (jobId) => this.o.logger.warn({ queue: worker.name, jobId }, 'job stalled (its worker stopped renewing the lock)'));
      worker.on('error', (error) => this.o.logger.error({ queue: worker.name, err: error.message }, 'worker error'));
    }
  }

  /** Resolves when every BullMQ worker is connected and polling and the worker has announced itself. */
  async waitUntilReady(): Promise<void> {
    await Promise.all([...this.workers.map((w) => w.waitUntilReady()), this.presence.start()]);
  }

  /** True while not closing and every worker is running. */
  isHealthy(): boolean {
    return this.closing === null && this.workers.every((w) => w.isRunning());
  }

  /**
   * Stops taking jobs, waits for active ones to finish (or, with `force`, abandons them so the
   * stalled check hands them to another worker), then closes the BullMQ workers. Safe to call twice.
   */
  close(force = false): Promise<void> {
    this.closing ??= (async () => {
      // Withdrawn first: coordinators stop planning shards for a worker that is leaving.
      const results = await Promise.allSettled([this.presence.stop(), ...this.workers.map((w) => w.close(force))]);
      for (const r of results) {
        if (r.status === 'rejected') {
          this.o.logger.error({ err: String(r.reason) }, 'closing a BullMQ worker failed');
        }
      }
    })();
    return this.closing;
  }

  private async processShard(job: Job): Promise<ShardJobResult> {
    try {
      const startMs = wallMs();
      const data = parsePayload(shardJobSchema, job.data, 'shard job data');
      const at = { runId: data.runId, step: data.step, shard: data.shard };
      this.o.trace?.({ name: 'worker.pickup', ...at, startMs: job.timestamp, endMs: startMs });
      const result = await this.o.processor.process(data);
      this.o.trace?.({ name: 'worker.job', ...at, startMs, endMs: wallMs() });
      assertSmallJson(result, 'shard job result');
      this.o.metrics?.stepSeconds.observe(result.computeMs / 1000);
      this.o.metrics?.gradientBytes.inc(result.gradientBytes);
      if (!result.accepted) {
        this.o.metrics?.duplicateResults.inc();
      }
      return result;
    } catch (error) {
      throw asBullError(error);
    }
  }

  private async processTrial(job: Job, processor: TrialProcessor): Promise<TrialResult> {
    try {
      const result = await processor.process(parsePayload(trialJobSchema, job.data, 'trial job data'));
      assertSmallJson(result, 'trial job result');
      return result;
    } catch (error) {
      throw asBullError(error);
    }
  }

  private async processRun(job: Job, handler: RunJobHandler): Promise<unknown> {
    try {
      const data = parsePayload(runJobSchema, job.data, 'run job data');
      const result = await handler(data, { id: String(job.id), updateProgress: (p) => job.updateProgress(p) });
      assertSmallJson(result, 'run job result');
      return result;
    } catch (error) {
      throw asBullError(error);
    }
  }
}

/** Codes retrying cannot fix become `UnrecoverableError` (fails at once, code kept in the message). */
function asBullError(error: unknown): Error {
  const code = errorCodeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && UNRECOVERABLE_CODES.has(code)) {
    return new UnrecoverableError(`${code}: ${message}`);
  }
  if (error instanceof Error) {
    return code === undefined || error.message.startsWith(code) ? error : Object.assign(new Error(`${code}: ${message}`, { cause: error }), { code });
  }
  return new Error(message);
}
