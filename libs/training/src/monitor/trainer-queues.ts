import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

import { RUN_QUEUE, SHARD_QUEUE, TUNE_QUEUE } from '../queue/job-contracts.js';

/** Every queue the trainer uses: meta-step shard jobs, run jobs (with their cron schedulers), tuning trials. */
export const TRAINER_QUEUE_NAMES = [SHARD_QUEUE, RUN_QUEUE, TUNE_QUEUE] as const;

/** Options of {@link TrainerQueues}. */
export interface TrainerQueuesOptions {
  /** BullMQ connection; shared, never quit here. */
  readonly connection: Redis;
}

/**
 * Read-and-operate handles on the trainer's queues for monitoring (queue gauges, the dashboard's
 * board). Adds no jobs itself; the board's retry moves a failed job back to waiting with its data
 * unchanged, which the shard, run and trial contracts allow (deterministic ids and result keys).
 */
export class TrainerQueues {
  /** One `Queue` per name of {@link TRAINER_QUEUE_NAMES}, in that order. */
  readonly queues: readonly Queue[];
  private closing: Promise<void> | null = null;

  constructor(options: TrainerQueuesOptions) {
    this.queues = TRAINER_QUEUE_NAMES.map((name) => new Queue(name, { connection: options.connection }));
  }

  /** Resolves when every queue's connection is ready. */
  async waitUntilReady(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.waitUntilReady()));
  }

  /**
   * Closes every queue (not the connection), all of them even when one fails; safe to call twice.
   * @throws the first close failure, after every queue was closed.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const results = await Promise.allSettled(this.queues.map((q) => q.close()));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
      }
    })();
    return this.closing;
  }
}
