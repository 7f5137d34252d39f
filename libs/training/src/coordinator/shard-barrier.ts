import type { JobsOptions, Queue } from 'bullmq';

import type { DecodedBlob } from '../blobs/blob-codec.js';
import type { RunStore } from '../blobs/run-store.js';
import { errorCodeOf, TrainingError } from '../errors.js';
import type { ShardJobData } from '../queue/job-contracts.js';
import type { TrainingLogger } from '../worker/training-worker.js';

/** BullMQ job id of a shard: deterministic, so re-adding after a coordinator restart is a no-op. */
export function shardJobId(runId: string, step: number, shard: number): string {
  return `${runId}_${step}_${shard}`;
}

/** Arguments of {@link awaitShards}. */
export interface AwaitShardsArgs {
  readonly queue: Queue;
  readonly store: RunStore;
  readonly runId: string;
  readonly step: number;
  readonly jobs: ReadonlyArray<{ readonly name: string; readonly data: ShardJobData; readonly opts: JobsOptions }>;
  /** The step's parameters, republished when Redis lost them. */
  readonly params: Float32Array;
  /** Re-stores the run spec when Redis lost it (workers read it by run id). */
  readonly ensureSpec: () => Promise<void>;
  readonly logger: TrainingLogger;
  /** Sleeps up to `ms` or until a queue event wakes it. */
  readonly wait: (ms: number) => Promise<void>;
  readonly pollIntervalMs: number;
  readonly closed: () => boolean;
}

/**
 * The per-step barrier: resolves with every shard's accepted gradient (in shard order). Results
 * are read from their keys, not from job return values, so a result counts once whichever attempt
 * wrote it. Each poll also repairs what a Redis restart or a lost job can leave behind: a job that
 * is gone, or completed while its result key is gone, is added again (and the step's parameters
 * republished if they are missing). A job that failed for good fails the step.
 * @throws TrainingError `TRAIN_SHARD_FAILED` with the job's failure reason and attempts, `TRAIN_CLOSED`.
 */
export async function awaitShards(a: AwaitShardsArgs): Promise<DecodedBlob[]> {
  for (;;) {
    if (a.closed()) {
      throw new TrainingError('TRAIN_CLOSED', `coordinator closed while waiting for step ${a.step}`, { step: a.step });
    }
    try {
      const done = await collect(a);
      if (done !== null) {
        return done;
      }
    } catch (error) {
      if (error instanceof TrainingError) {
        throw error;
      }
      // Connection errors (Redis restarting): keep polling; ioredis reconnects.
      a.logger.warn({ runId: a.runId, step: a.step, code: errorCodeOf(error), err: String(error) }, 'polling shard results failed; retrying');
    }
    await a.wait(a.pollIntervalMs);
  }
}

async function collect(a: AwaitShardsArgs): Promise<DecodedBlob[] | null> {
  await a.ensureSpec();
  const present = await a.store.presentGradients(a.runId, a.step, a.jobs.length);
  if (present.every(Boolean)) {
    const blobs = await Promise.all(a.jobs.map((_, shard) => a.store.getGradient(a.runId, a.step, shard)));
    if (blobs.every((b): b is DecodedBlob => b !== null)) {
      return blobs;
    }
    return null;
  }
  for (let shard = 0; shard < a.jobs.length; shard++) {
    if (!present[shard]) {
      await repair(a, shard);
    }
  }
  return null;
}

async function repair(a: AwaitShardsArgs, shard: number): Promise<void> {
  const job = a.jobs[shard];
  const id = String(job.opts.jobId);
  const state = await a.queue.getJobState(id);
  if (state === 'failed') {
    const failed = await a.queue.getJob(id);
    const reason = failed?.failedReason ?? 'unknown reason';
    throw new TrainingError('TRAIN_SHARD_FAILED', `shard ${shard} of step ${a.step} failed after ${failed?.attemptsMade ?? '?'} attempt(s): ${reason}`, {
      step: a.step,
      shard,
      jobId: id,
      reason,
    });
  }
  if (state !== 'completed' && state !== 'unknown') {
    return;
  }
  // Completed just after the presence check: its result is there now.
  if ((await a.store.getGradient(a.runId, a.step, shard)) !== null) {
    return;
  }
  if (state === 'completed') {
    await (await a.queue.getJob(id))?.remove();
  }
  if (!(await a.store.hasParams(a.runId, a.step))) {
    await a.store.publishParams(a.runId, a.step, a.params);
  }
  await a.queue.add(job.name, job.data, job.opts);
  a.logger.warn({ runId: a.runId, step: a.step, shard, previousState: state }, 'shard result missing; job added again');
}
