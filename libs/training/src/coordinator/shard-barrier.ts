import type { JobsOptions, Queue } from 'bullmq';

import type { DecodedBlob } from '../blobs/blob-codec.js';
import type { RunStore } from '../blobs/run-store.js';
import { errorCodeOf, TrainingError } from '../errors.js';
import type { ShardJobData } from '../queue/job-contracts.js';
import { traced, type TraceSink } from '../trace/step-trace.js';
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
  /** Receives `coord.fetch` spans (each read of the shards not read yet, with decoding). */
  readonly trace?: TraceSink;
}

/**
 * The per-step barrier: resolves with every shard's accepted gradient (in shard order). Results
 * are read from their keys, not from job return values, so a result counts once whichever attempt
 * wrote it. Each shard is read (and its checksum verified) as soon as it is stored, so with
 * shards finishing at different times only the last one's read is on the critical path. Each
 * poll also repairs what a Redis restart or a lost job can leave behind: a job that is gone, or
 * completed while its result key is gone, is added again (and the step's parameters republished
 * if they are missing). A job that failed for good fails the step.
 * @throws TrainingError `TRAIN_SHARD_FAILED` with the job's failure reason and attempts, `TRAIN_CLOSED`.
 */
export async function awaitShards(a: AwaitShardsArgs): Promise<DecodedBlob[]> {
  const got: Array<DecodedBlob | null> = a.jobs.map(() => null);
  for (;;) {
    if (a.closed()) {
      throw new TrainingError('TRAIN_CLOSED', `coordinator closed while waiting for step ${a.step}`, { step: a.step });
    }
    try {
      if (await collect(a, got)) {
        return got as DecodedBlob[];
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

/** Reads the shards not read yet into `got`; repairs the ones still missing. True when all are in. */
async function collect(a: AwaitShardsArgs, got: Array<DecodedBlob | null>): Promise<boolean> {
  await a.ensureSpec();
  const missing = got.flatMap((g, shard) => (g === null ? [shard] : []));
  const read = await traced(a.trace, 'coord.fetch', { runId: a.runId, step: a.step }, () => a.store.getGradients(a.runId, a.step, missing));
  const stillMissing: number[] = [];
  missing.forEach((shard, i) => {
    const blob = read[i];
    if (blob === null) {
      stillMissing.push(shard);
    } else {
      got[shard] = blob;
    }
  });
  for (const shard of stillMissing) {
    await repair(a, shard);
  }
  return stillMissing.length === 0;
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
  // Completed just after the read: its result is there now (read on the next poll).
  if (await a.store.hasGradient(a.runId, a.step, shard)) {
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
