import { Gauge, type Registry } from 'prom-client';

import type { TrainingLogger } from '../worker/training-worker.js';

/** The BullMQ job states reported per queue (the states `Queue.getJobCounts` knows). */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'paused', 'prioritized', 'waiting-children'] as const;
/** One of {@link JOB_STATES}. */
export type JobState = (typeof JOB_STATES)[number];

/** What the gauges need of a queue: its name and its job counts (BullMQ's `Queue` fits). */
export interface JobCountSource {
  readonly name: string;
  getJobCounts(...types: JobState[]): Promise<Record<string, number>>;
}

/** Options of {@link QueueGauges}. */
export interface QueueGaugesOptions {
  /** Registry the gauges register on (the app's). */
  readonly registry: Registry;
  /** Queues read on every scrape. */
  readonly queues: readonly JobCountSource[];
  /** Receives a failed read (the scrape still answers, without that queue's series). */
  readonly logger: TrainingLogger;
}

/**
 * `metarec_trainer_queue_jobs{queue,state}`: jobs per queue and state, read with
 * `getJobCounts` when Prometheus scrapes (prom-client's `collect`), so the value is never older
 * than the scrape and nothing polls between scrapes. `metarec_trainer_queue_up{queue}` is 1 when
 * that read succeeded; a queue whose read fails drops its job series for that scrape (a stale count
 * would look like a stuck queue) and the failure is logged.
 */
export class QueueGauges {
  readonly jobs: Gauge<'queue' | 'state'>;
  readonly up: Gauge<'queue'>;

  constructor(options: QueueGaugesOptions) {
    const { queues, logger } = options;
    // Both gauges are collected in one scrape (prom-client collects every metric at once): they share one read.
    let inflight: Promise<Array<PromiseSettledResult<Record<string, number>>>> | null = null;
    const read = (): Promise<Array<PromiseSettledResult<Record<string, number>>>> => {
      inflight ??= Promise.allSettled(queues.map((q) => q.getJobCounts(...JOB_STATES))).finally(() => {
        inflight = null;
      });
      return inflight;
    };
    this.up = new Gauge({
      name: 'metarec_trainer_queue_up',
      help: 'Whether reading the job counts of a BullMQ queue succeeded at this scrape (1) or failed (0)',
      labelNames: ['queue'],
      registers: [options.registry],
      async collect() {
        const counts = await read();
        counts.forEach((result, i) => this.set({ queue: queues[i].name }, result.status === 'fulfilled' ? 1 : 0));
      },
    });
    this.jobs = new Gauge({
      name: 'metarec_trainer_queue_jobs',
      help: 'Jobs per BullMQ queue and state (getJobCounts at scrape time)',
      labelNames: ['queue', 'state'],
      registers: [options.registry],
      async collect() {
        const counts = await read();
        this.reset();
        counts.forEach((result, i) => {
          const queue = queues[i].name;
          if (result.status === 'rejected') {
            logger.warn({ queue, err: String(result.reason) }, 'reading job counts failed; the queue is left out of this scrape');
            return;
          }
          for (const state of JOB_STATES) {
            this.set({ queue, state }, result.value[state] ?? 0);
          }
        });
      },
    });
  }
}
