import { Gauge, type Registry } from 'prom-client';

import type { TrainingLogger } from '../worker/training-worker.js';

/**
 * The BullMQ job states reported per queue: BullMQ 6's `JobState`. It has no `paused` state (a
 * paused queue keeps its jobs `waiting` and sets a flag), so pausing is its own gauge.
 */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const;
/** One of {@link JOB_STATES}. */
export type JobState = (typeof JOB_STATES)[number];

/** What the gauges need of a queue: its name, job counts and paused flag (BullMQ's `Queue` fits). */
export interface JobCountSource {
  readonly name: string;
  getJobCounts(...types: JobState[]): Promise<Record<string, number>>;
  isPaused(): Promise<boolean>;
}

/** One queue's read at a scrape. */
interface QueueRead {
  readonly counts: Record<string, number>;
  readonly paused: boolean;
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
 * than the scrape and nothing polls between scrapes. `metarec_trainer_queue_paused{queue}` is 1
 * while a queue is paused; `metarec_trainer_queue_up{queue}` is 1 when its read succeeded. A queue
 * whose read fails drops its job and paused series for that scrape (a stale count would look like
 * a stuck queue) and the failure is logged.
 */
export class QueueGauges {
  readonly jobs: Gauge<'queue' | 'state'>;
  readonly up: Gauge<'queue'>;
  readonly paused: Gauge<'queue'>;

  constructor(options: QueueGaugesOptions) {
    const { queues, logger } = options;
    // Both gauges are collected in one scrape (prom-client collects every metric at once): they share one read.
    let inflight: Promise<Array<PromiseSettledResult<QueueRead>>> | null = null;
    const readQueue = async (q: JobCountSource): Promise<QueueRead> => {
      const [counts, paused] = await Promise.all([q.getJobCounts(...JOB_STATES), q.isPaused()]);
      return { counts, paused };
    };
    const read = (): Promise<Array<PromiseSettledResult<QueueRead>>> => {
      inflight ??= Promise.allSettled(queues.map(readQueue)).finally(() => {
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
    this.paused = new Gauge({
      name: 'metarec_trainer_queue_paused',
      help: 'Whether a BullMQ queue is paused (1): its waiting jobs are not handed to workers',
      labelNames: ['queue'],
      registers: [options.registry],
      async collect() {
        const reads = await read();
        this.reset();
        reads.forEach((result, i) => {
          if (result.status === 'fulfilled') {
            this.set({ queue: queues[i].name }, result.value.paused ? 1 : 0);
          }
        });
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
            this.set({ queue, state }, result.value.counts[state] ?? 0);
          }
        });
      },
    });
  }
}
