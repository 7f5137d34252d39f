import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

import { TrainingError } from '../errors.js';
import { assertSmallJson, JOB_SCHEMA_VERSION, RUN_QUEUE, type RunJobData } from '../queue/job-contracts.js';
import { parseRunSpec, type RunSpec } from '../spec/run-spec.js';

/** A schedule as listed. */
export interface RunSchedule {
  readonly id: string;
  readonly cron: string | null;
  readonly tz: string | null;
  /** Next firing, epoch ms (null when none is pending). */
  readonly nextMs: number | null;
  readonly iterations: number;
  readonly specName: string | null;
}

/** Options of {@link RunScheduler}. */
export interface RunSchedulerOptions {
  /** BullMQ connection; shared, never quit here. */
  readonly connection: Redis;
}

const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Scheduled runs through BullMQ job schedulers (`upsertJobScheduler` with a cron pattern; the
 * old repeat options are gone in BullMQ 5+). Each firing adds a run job that a worker started
 * with the coordinator role executes; an offline-store spec without `toDate` then trains on the
 * store's latest watermark at that moment.
 */
export class RunScheduler {
  private readonly queue: Queue;

  constructor(options: RunSchedulerOptions) {
    this.queue = new Queue(RUN_QUEUE, { connection: options.connection });
  }

  /**
   * Creates or replaces schedule `id`. `cron` may have 6 fields (seconds first).
   * @throws TrainingError `TRAIN_OPTIONS_INVALID` (id), `TRAIN_SPEC_INVALID`, `TRAIN_PAYLOAD_TOO_LARGE`.
   */
  async upsert(id: string, cron: string, spec: RunSpec, tz?: string): Promise<RunSchedule> {
    if (!ID_PATTERN.test(id)) {
      throw new TrainingError('TRAIN_OPTIONS_INVALID', `schedule id '${id}' must match ${ID_PATTERN.source}`, { field: 'id' });
    }
    const data: RunJobData = { v: JOB_SCHEMA_VERSION, spec: parseRunSpec(spec) };
    assertSmallJson(data, 'run job data');
    await this.queue.upsertJobScheduler(
      id,
      { pattern: cron, ...(tz === undefined ? {} : { tz }) },
      { name: 'run', data, opts: { attempts: 1, removeOnComplete: { age: 7 * 86_400 }, removeOnFail: { age: 30 * 86_400 } } },
    );
    const listed = (await this.list()).find((s) => s.id === id);
    if (listed === undefined) {
      throw new TrainingError('TRAIN_OPTIONS_INVALID', `schedule ${id} was not stored`, { field: 'id' });
    }
    return listed;
  }

  /** Every schedule, by next firing. */
  async list(): Promise<RunSchedule[]> {
    const all = await this.queue.getJobSchedulers(0, -1, true);
    return all.map((s) => {
      const spec = (s.template?.data as RunJobData | undefined)?.spec as { name?: unknown } | undefined;
      return {
        id: s.id ?? s.key,
        cron: s.pattern ?? null,
        tz: s.tz ?? null,
        nextMs: s.next ?? null,
        iterations: s.iterationCount ?? 0,
        specName: typeof spec?.name === 'string' ? spec.name : null,
      };
    });
  }

  /** Removes schedule `id`; false when there was none. */
  async remove(id: string): Promise<boolean> {
    return this.queue.removeJobScheduler(id);
  }

  /** Closes the queue (not the connection). */
  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** Run id of a run job: derived from the job id, so a run job retried after a crash resumes the same run. */
export function runIdForJob(jobId: string): string {
  return `r-job-${jobId.replace(/[^A-Za-z0-9]+/g, '-')}`.slice(0, 100);
}
