import { Redis } from 'ioredis';

import { RunStore } from '../blobs/run-store.js';
import { ComputePool } from '../compute/compute-pool.js';
import { Coordinator, type CoordinatorOptions } from '../coordinator/coordinator.js';
import { createRunJobHandler } from '../coordinator/run-job-handler.js';
import { loadTaskSet, type TaskSetLoader } from '../data/load-task-set.js';
import { TrialProcessor } from '../tune/trial-processor.js';
import { TuneCoordinator, type TuneCoordinatorOptions } from '../tune/tune-coordinator.js';
import { TuneStore } from '../tune/tune-store.js';
import { ShardProcessor } from '../worker/shard-processor.js';
import { TrainingWorker, type TrainingLogger, type TrainingWorkerOptions } from '../worker/training-worker.js';

/** A logger that keeps every line (tests assert on warnings). */
export class MemoryLogger implements TrainingLogger {
  readonly lines: Array<{ level: string; message: string; fields: Readonly<Record<string, unknown>> }> = [];
  info(fields: Readonly<Record<string, unknown>>, message: string): void {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(fields: Readonly<Record<string, unknown>>, message: string): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(fields: Readonly<Record<string, unknown>>, message: string): void {
    this.lines.push({ level: 'error', message, fields });
  }
}

/** In-process coordinator and workers on one Redis, each with its own connection and compute pool; `close()` releases all. */
export class TrainingHarness {
  readonly logger = new MemoryLogger();
  private readonly closers: Array<() => Promise<unknown>> = [];

  constructor(private readonly url: string) {}

  connection(): Redis {
    const redis = new Redis(this.url, { maxRetriesPerRequest: null });
    this.closers.push(() => redis.quit());
    return redis;
  }

  pool(threads = 1): ComputePool {
    const pool = new ComputePool({ threads, backend: 'wasm' });
    this.closers.push(() => pool.close());
    return pool;
  }

  coordinator(options: Partial<CoordinatorOptions> = {}): Coordinator {
    const connection = this.connection();
    const c = new Coordinator({ connection, store: new RunStore({ redis: connection }), pool: this.pool(), logger: this.logger, pollIntervalMs: 100, ...options });
    this.closers.push(() => c.close());
    return c;
  }

  /** A search coordinator with its own connection. */
  tuneCoordinator(options: Partial<TuneCoordinatorOptions> = {}): TuneCoordinator {
    const connection = this.connection();
    const c = new TuneCoordinator({ connection, store: new TuneStore({ redis: connection }), logger: this.logger, pollIntervalMs: 50, ...options });
    this.closers.push(() => c.close());
    return c;
  }

  /** A worker with its own connection and compute pool; `runs: true` also takes run jobs, `trials: true` tuning trials. */
  worker(options: { loadTaskSet?: TaskSetLoader; runs?: boolean; trials?: boolean; worker?: Partial<TrainingWorkerOptions> } = {}): TrainingWorker {
    const connection = this.connection();
    const store = new RunStore({ redis: connection });
    const concurrency = options.worker?.concurrency ?? 1;
    const processor = new ShardProcessor({ store, pool: this.pool(concurrency), loadTaskSet: options.loadTaskSet ?? loadTaskSet });
    const runHandler = options.runs === true ? createRunJobHandler(this.coordinator()) : undefined;
    const trialProcessor =
      options.trials === true ? new TrialProcessor({ store: new TuneStore({ redis: connection }), pool: this.pool(concurrency), loadTaskSet: options.loadTaskSet ?? loadTaskSet, logger: this.logger }) : undefined;
    const w = new TrainingWorker({ connection, processor, logger: this.logger, ...(runHandler ? { runHandler } : {}), ...(trialProcessor ? { trialProcessor } : {}), ...options.worker });
    this.closers.push(() => w.close(true));
    return w;
  }

  /** Closes everything in reverse order of creation; failures are logged, not thrown. */
  async close(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) {
      await close().catch((e: unknown) => this.logger.error({ err: String(e) }, 'harness close step failed'));
    }
  }
}
