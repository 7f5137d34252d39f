import { randomBytes } from 'node:crypto';

import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  createMetaModel,
  initialLoopState,
  initParams,
  runMetaTraining,
  type MetaLoopState,
  type MetaModel,
  type MetaStepExecutor,
  type MetaTrainingResult,
  type StepOutcome,
} from '@metarec/meta-learning';

import type { RunStore } from '../blobs/run-store.js';
import { trainingKeys } from '../blobs/training-keys.js';
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { CheckpointStore } from '../checkpoint/checkpoint-store.js';
import { CheckpointWriter } from '../checkpoint/checkpoint-writer.js';
import type { ComputePool } from '../compute/compute-pool.js';
import { loadTaskSet as defaultLoadTaskSet, type TaskSetLoader } from '../data/load-task-set.js';
import type { TaskSet } from '../data/task-set.js';
import { errorCodeOf, TrainingError } from '../errors.js';
import { runPaths } from '../output/run-output.js';
import { assertSmallJson, JOB_SCHEMA_VERSION, SHARD_QUEUE, type ShardJobData } from '../queue/job-contracts.js';
import { adamOptionsOf, metaStepOptionsOf, modelConfigOf, specHash } from '../spec/spec-options.js';
import { finishRun, type RunResult } from '../run/finish-run.js';
import type { RunSpec } from '../spec/run-spec.js';
import type { RunStatus } from '../status/run-status.js';
import { traced, wallMs, type TraceSink } from '../trace/step-trace.js';
import type { TrainingLogger } from '../worker/training-worker.js';
import { RunLease } from './run-lease.js';
import { awaitShards, shardJobId } from './shard-barrier.js';
import { liveWorkerSlots } from '../worker/worker-presence.js';
import { aggregateShards, planShards, planShardsEvenly, shardCountFor } from './shard-plan.js';

/** Options of {@link Coordinator}. */
export interface CoordinatorOptions {
  /** BullMQ connection (ioredis with `maxRetriesPerRequest: null`); shared, never quit here. */
  readonly connection: Redis;
  readonly store: RunStore;
  /** Runs validation meta-steps off the event loop. */
  readonly pool: ComputePool;
  readonly logger: TrainingLogger;
  /** @defaultValue loadTaskSet (synthetic or offline store, from the spec) */
  readonly loadTaskSet?: TaskSetLoader;
  /** Fallback poll of shard results when no queue event arrives, ms. @defaultValue 250 */
  readonly pollIntervalMs?: number;
  /** Recorded in the lineage. @defaultValue 'unknown' */
  readonly gitCommit?: string;
  /** Seconds BullMQ keeps finished shard jobs. @defaultValue 3600 */
  readonly keepJobsSec?: number;
  /** Receives every status written. */
  readonly onStatus?: (status: RunStatus) => void;
  readonly now?: () => number;
  /** Receives timing spans of every step (`coord.*`), for profiling. @defaultValue undefined (none) */
  readonly trace?: TraceSink;
  /** The run-id lease (`RunLease`): its TTL, and how long a run waits for another holder's lease before failing. @defaultValue { ttlMs: 15_000, waitMs: 0 } */
  readonly lease?: { readonly ttlMs?: number; readonly waitMs?: number };
}

/** Defaults of {@link CoordinatorOptions}. */
export const DEFAULT_COORDINATOR_OPTIONS = { pollIntervalMs: 250, gitCommit: 'unknown', keepJobsSec: 3600 } as const;

/** Per-run options of {@link Coordinator.run}. */
export interface RunOptions {
  /** Resume this run (from its last checkpoint) or start it under this id. @defaultValue a new id */
  readonly runId?: string;
  /** Also report progress here (a BullMQ run job's `updateProgress`). */
  readonly jobProgress?: (progress: object) => Promise<void>;
}

/** A new run id: `r-<yyyymmddhhmmss>-<6 hex>` (sortable; no ':' so it can prefix BullMQ job ids). */
export function newRunId(nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `r-${stamp}-${randomBytes(3).toString('hex')}`;
}

/**
 * Queue and barrier plumbing for meta-learning's one training loop: a step executor whose
 * meta-batch gradients are computed by shard jobs on any number of workers (the loop keeps the
 * batches, the Adam update, validation, stopping; this class adds checkpoints, status and
 * `finishRun`). Same batches and update as the in-process executor.
 *
 * Per-step barrier, not BullMQ flows: a step needs every shard before the optimizer moves, the
 * optimizer state lives here, and a flow's parent job would need a worker of its own and would
 * tie the step to one parent that a coordinator restart must find again. Instead each step's
 * shards have deterministic job ids (`<run>_<step>_<shard>`) and deterministic result keys, so
 * a restarted coordinator re-adds the same jobs (duplicates are ignored by id) and picks up
 * results already stored. A shard that fails after its attempts fails the run with its reason.
 */
export class Coordinator {
  private readonly o: CoordinatorOptions & typeof DEFAULT_COORDINATOR_OPTIONS;
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  /** Subscribed to the running run's {@link trainingKeys.shardDone} channel (created here, quit in close). */
  private readonly subscriber: Redis;
  private readonly wakers = new Set<() => void>();
  /** A wake-up that came while no barrier was waiting (e.g. during a read): the next wait returns at once. */
  private pendingWake = false;
  private closing: Promise<void> | null = null;
  /** The previous steps' blob deletes, chained (never rejects). */
  private cleanup: Promise<void> = Promise.resolve();

  /** @throws TrainingError `TRAIN_OPTIONS_INVALID`. */
  constructor(options: CoordinatorOptions) {
    this.o = { ...DEFAULT_COORDINATOR_OPTIONS, ...options } as CoordinatorOptions & typeof DEFAULT_COORDINATOR_OPTIONS;
    if (!(this.o.pollIntervalMs >= 10) || !(this.o.keepJobsSec >= 1)) {
      throw new TrainingError('TRAIN_OPTIONS_INVALID', 'CoordinatorOptions.pollIntervalMs must be >= 10 and keepJobsSec >= 1', { field: 'pollIntervalMs' });
    }
    this.queue = new Queue(SHARD_QUEUE, { connection: this.o.connection });
    // Completions wake the barrier through the workers' shard-done announcements (sent with the
    // gradient, before BullMQ even marks the job completed); failures through the queue's events.
    this.events = new QueueEvents(SHARD_QUEUE, { connection: this.o.connection });
    this.subscriber = this.o.connection.duplicate();
    this.events.on('failed', () => this.wake());
    this.subscriber.on('message', () => this.wake());
    this.events.on('error', (e) => this.o.logger.warn({ err: e.message }, 'queue events connection error'));
    this.subscriber.on('error', (e: Error) => this.o.logger.warn({ err: e.message }, 'shard-done subscriber connection error'));
    this.queue.on('error', (e) => this.o.logger.warn({ err: e.message }, 'queue connection error'));
  }

  /** Waits until the queue and its event stream are connected. */
  async waitUntilReady(): Promise<void> {
    await Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady(), this.subscriber.ping()]);
  }

  /**
   * Runs (or resumes) a run to its end and writes the model and lineage: meta-learning's
   * `runMetaTraining` with this coordinator's sharded executor, checkpoints and status, then
   * `finishRun`.
   * The run id is leased for the whole run (`RunLease`): a second coordinator of it fails at once.
   * @throws TrainingError `TRAIN_RUN_LEASED` (another coordinator runs it, or this one lost the lease), `TRAIN_SHARD_FAILED` (with the shard's reason), `TRAIN_SPEC_INVALID`
   * (checkpoint of another spec), `TRAIN_DATA_VERSION_MISMATCH`, `TRAIN_CHECKPOINT_CORRUPT`; meta-learning's `ML_*`.
   */
  async run(spec: RunSpec, options: RunOptions = {}): Promise<RunResult> {
    const now = this.o.now ?? Date.now;
    const runId = options.runId ?? newRunId(now());
    // Before anything is written: a second coordinator of the same run fails here and leaves the first one's status alone.
    const lease = await RunLease.acquire(this.o.connection, runId, {
      ...this.o.lease,
      onWait: (heldForMs) => this.o.logger.info({ runId, heldForMs }, 'run lease held by another coordinator (or a killed one): waiting for it'),
      onLost: (reason) => this.o.logger.error({ runId, reason }, 'run lease lost: stopping at the next step'),
      onRenewFailed: (reason) => this.o.logger.warn({ runId, reason }, 'run lease renewal failed (Redis unreachable); retrying'),
    });
    try {
      return await this.runLeased(spec, options, runId, lease);
    } finally {
      await lease.release().catch((e: unknown) => this.o.logger.warn({ runId, err: String(e) }, 'releasing the run lease failed; it lapses by itself'));
    }
  }

  private async runLeased(spec: RunSpec, options: RunOptions, runId: string, lease: RunLease): Promise<RunResult> {
    const now = this.o.now ?? Date.now;
    const startedAtMs = now();
    let step = 0;
    try {
      const taskSet = await (this.o.loadTaskSet ?? defaultLoadTaskSet)(spec.data);
      const model = createMetaModel(taskSet.featureLayout, modelConfigOf(spec));
      const checkpoints = new CheckpointStore({ dir: runPaths(spec, runId).checkpointDir });
      const start = this.startState(await checkpoints.loadLatest(), spec, model, taskSet, runId);
      step = start.step;
      if (start.step > 0) {
        this.o.logger.info({ runId, step: start.step }, 'resuming from checkpoint');
      }
      await this.o.store.putSpec(runId, spec);
      const trace = this.o.trace;
      const writer = new CheckpointWriter((cp) => traced(trace, 'bg.checkpoint', { runId, step: cp.step }, () => checkpoints.save(cp)));
      const hash = specHash(spec);
      const sessionStart = { step: start.step, ms: now() };
      const channel = trainingKeys.shardDone(runId);
      await this.subscriber.subscribe(channel);
      let trained: MetaTrainingResult;
      try {
        trained = await runMetaTraining(this.shardedExecutor(spec, runId, taskSet), start, {
          metaBatchSize: spec.metaBatchSize,
          epochs: spec.epochs,
          maxSteps: spec.maxSteps,
          outerLr: spec.outer.lr,
          schedule: spec.outer.schedule,
          adam: adamOptionsOf(spec),
          validateEvery: spec.validateEvery,
          patience: spec.patience,
          checkpointEvery: spec.checkpointEvery,
          ...(taskSet.validation.length === 0
            ? {}
            : { validate: async (params: Float32Array, at: number) => ({ loss: await traced(trace, 'coord.validate', { runId, step: at }, () => this.validationLoss(spec, taskSet, params)) }) }),
          onCheckpoint: (st) =>
            traced(trace, 'coord.checkpoint', { runId, step: st.step }, () => writer.write({ ...st, runId, dataVersion: taskSet.dataVersion, specHash: hash })),
          onProgress: async (p) => {
            lease.assertHeld();
            step = p.step;
            const statusStartMs = trace === undefined ? 0 : wallMs();
            const elapsed = (now() - sessionStart.ms) / 1000;
            const done = p.step - sessionStart.step;
            await this.putStatus(
              {
                status: 'running',
                runId,
                step: p.step,
                totalSteps: p.totalSteps,
                epoch: p.epoch,
                loss: p.loss,
                validationLoss: p.validation?.loss ?? null,
                etaSec: done > 0 ? ((p.totalSteps - p.step) * elapsed) / done : null,
                stepsPerSec: done > 0 && elapsed > 0 ? done / elapsed : null,
                startedAtMs,
                updatedAtMs: now(),
              },
              options,
            );
            trace?.({ name: 'coord.status', runId, step: p.step, startMs: statusStartMs, endMs: wallMs() });
          },
        });
      } catch (error) {
        // A checkpoint still being written finishes (a closed coordinator keeps its last step).
        await writer.settle().catch((e: unknown) => this.o.logger.error({ runId, err: String(e) }, 'checkpoint write failed while the run failed'));
        throw error;
      } finally {
        await this.subscriber.unsubscribe(channel).catch((e: unknown) => this.o.logger.warn({ runId, err: String(e) }, 'unsubscribing from shard-done failed'));
      }
      await writer.settle();
      await this.cleanup;
      lease.assertHeld();
      return await finishRun({ spec, runId, model, taskSet, trained, startedAtMs, gitCommit: this.o.gitCommit, store: this.o.store, logger: this.o.logger, now });
    } catch (error) {
      const code = errorCodeOf(error) ?? 'TRAIN_UNKNOWN';
      const reason = error instanceof Error ? error.message : String(error);
      await this.putStatus({ status: 'failed', runId, step, code, reason, finishedAtMs: now() }, options).catch((e: unknown) =>
        this.o.logger.error({ runId, err: String(e) }, 'writing the failed status failed'),
      );
      throw error;
    }
  }

  /** Closes the queue, its event stream and the shard-done subscriber (not the connection). Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.wake();
      await this.cleanup;
      const results = await Promise.allSettled([this.events.close(), this.queue.close(), this.subscriber.quit()]);
      for (const r of results) {
        if (r.status === 'rejected') {
          this.o.logger.error({ err: String(r.reason) }, 'closing the coordinator queue failed');
        }
      }
    })();
    return this.closing;
  }

  /**
   * The run's step executor: each meta-batch's gradient from shard jobs (plan, publish the
   * parameters, enqueue, barrier, task-weighted aggregate). The loop applies the Adam update.
   */
  private shardedExecutor(spec: RunSpec, runId: string, taskSet: TaskSet): MetaStepExecutor {
    return { taskCount: taskSet.train.length, step: (params, batch) => this.shardedStep(spec, runId, taskSet, params, batch.step, batch.taskIndices) };
  }

  /** One meta-step's gradient: publish, enqueue, barrier, aggregate. */
  private async shardedStep(spec: RunSpec, runId: string, taskSet: TaskSet, params: Float32Array, step: number, batch: readonly number[]): Promise<StepOutcome> {
    const at = { runId, step };
    const trace = this.o.trace;
    const shards = await traced(trace, 'coord.plan', at, () => this.planStep(spec, runId, step, batch));
    await traced(trace, 'coord.publish', at, () => this.o.store.publishParams(runId, step, params));
    const jobs = shards.map((taskIndices, shard) => {
      const data: ShardJobData = {
        v: JOB_SCHEMA_VERSION,
        runId,
        step,
        shard,
        taskIndices,
        paramsKey: trainingKeys.params(runId, step),
        paramsVersion: step,
        dataVersion: taskSet.dataVersion,
      };
      assertSmallJson(data, 'shard job data');
      return {
        name: 'shard',
        data,
        opts: {
          jobId: shardJobId(runId, step, shard),
          attempts: spec.attempts,
          backoff: { type: 'exponential', delay: spec.backoffMs },
          removeOnComplete: { age: this.o.keepJobsSec },
          removeOnFail: { age: 24 * 3600 },
        },
      };
    });
    await traced(trace, 'coord.enqueue', at, () => this.queue.addBulk(jobs));
    const blobs = await traced(trace, 'coord.barrier', at, () =>
      awaitShards({
        queue: this.queue,
        store: this.o.store,
        runId,
        step,
        jobs,
        params,
        ensureSpec: () => this.o.store.ensureSpec(runId, spec),
        logger: this.o.logger,
        wait: (ms) => this.waitForEvent(ms),
        pollIntervalMs: this.o.pollIntervalMs,
        closed: () => this.closing !== null,
        ...(trace === undefined ? {} : { trace }),
      }),
    );
    // Task-weighted mean of the shard means; the loop then applies the one Adam update (`applyUpdate`).
    const aggregate = await traced(trace, 'coord.aggregate', at, () => aggregateShards(blobs));
    // Off the critical path: the blobs have a TTL, so a failed delete only holds memory until it expires.
    this.cleanup = this.cleanup
      .then(() => traced(trace, 'coord.cleanup', at, () => this.o.store.deleteStep(runId, step, shards.length)))
      .catch((e: unknown) => this.o.logger.warn({ runId, step, err: String(e) }, 'deleting a finished step\'s blobs failed; they expire with their TTL'));
    return { loss: aggregate.loss, gradient: aggregate.gradient };
  }

  /**
   * The step's shards. `fixed`: chunks of `shardSize`. `live-workers`: a count from the
   * live worker slots, fixed once per step in Redis (see {@link RunStore.fixShardCount}), cut evenly.
   */
  private async planStep(spec: RunSpec, runId: string, step: number, batch: readonly number[]): Promise<number[][]> {
    if (spec.sharding === 'fixed') {
      return planShards(batch, spec.shardSize);
    }
    const slots = await liveWorkerSlots(this.o.connection);
    const count = await this.o.store.fixShardCount(runId, step, shardCountFor(batch.length, spec.shardSize, spec.sharding, slots));
    return planShardsEvenly(batch, count);
  }

  /** Mean query loss after adaptation on the validation users (in a compute thread). */
  private async validationLoss(spec: RunSpec, taskSet: TaskSet, params: Float32Array): Promise<number> {
    const out = await this.o.pool.run({ featureLayout: taskSet.featureLayout, modelConfig: modelConfigOf(spec), params, tasks: taskSet.validation, step: metaStepOptionsOf(spec) });
    return out.loss;
  }

  private async putStatus(status: RunStatus, options: RunOptions): Promise<void> {
    await this.o.store.putStatus(status.runId, status);
    this.o.onStatus?.(status);
    await options.jobProgress?.(status);
  }

  private wake(): void {
    if (this.wakers.size === 0) {
      this.pendingWake = true;
      return;
    }
    this.wakers.forEach((w) => w());
  }

  private waitForEvent(ms: number): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  /** The loop state to start from: the latest checkpoint of this run, or a fresh start from the spec's seed. */
  private startState(cp: Checkpoint | null, spec: RunSpec, model: MetaModel, taskSet: TaskSet, runId: string): MetaLoopState {
    if (cp === null) {
      return initialLoopState(model.layout, initParams(model), spec.seed);
    }
    if (cp.specHash !== specHash(spec) || cp.runId !== runId) {
      throw new TrainingError('TRAIN_SPEC_INVALID', `checkpoint of run ${cp.runId} was written for another spec; start a new run id`, { field: 'spec' });
    }
    if (cp.dataVersion !== taskSet.dataVersion) {
      throw new TrainingError('TRAIN_DATA_VERSION_MISMATCH', `checkpoint trained on ${cp.dataVersion}, the store now gives ${taskSet.dataVersion}`, { field: 'dataVersion' });
    }
    const { runId: _runId, dataVersion: _dataVersion, specHash: _specHash, ...state } = cp;
    return state;
  }
}
