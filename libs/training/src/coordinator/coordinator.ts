import { randomBytes } from 'node:crypto';

import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { evaluateHeldOut } from '@metarec/evaluation';
import {
  createMetaModel,
  createOptimizerState,
  epochMetaBatches,
  initParams,
  learningRateAt,
  type MetaModel,
  type OptimizerState,
} from '@metarec/meta-learning';
import { SeededRng, type RngState } from '@metarec/runtime';

import type { RunStore } from '../blobs/run-store.js';
import { trainingKeys } from '../blobs/training-keys.js';
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { CheckpointStore } from '../checkpoint/checkpoint-store.js';
import type { ComputePool } from '../compute/compute-pool.js';
import { loadTaskSet as defaultLoadTaskSet, type TaskSetLoader } from '../data/load-task-set.js';
import type { TaskSet } from '../data/task-set.js';
import { errorCodeOf, TrainingError } from '../errors.js';
import { calibrateShrinkage } from '../output/calibrate-shrinkage.js';
import { runPaths, writeRunOutput, type RunLineage, type TrainedAdaptation } from '../output/run-output.js';
import { assertSmallJson, JOB_SCHEMA_VERSION, SHARD_QUEUE, type ShardJobData } from '../queue/job-contracts.js';
import { adamOptionsOf, metaStepOptionsOf, modelConfigOf, specHash } from '../spec/spec-options.js';
import type { RunSpec } from '../spec/run-spec.js';
import type { RunStatus } from '../status/run-status.js';
import { traced, wallMs, type TraceSink } from '../trace/step-trace.js';
import type { TrainingLogger } from '../worker/training-worker.js';
import { awaitShards, shardJobId } from './shard-barrier.js';
import { aggregateAndUpdate } from './outer-update.js';
import { liveWorkerSlots } from '../worker/worker-presence.js';
import { planShards, planShardsEvenly, shardCountFor } from './shard-plan.js';

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

/** What a finished run produced. */
export interface RunResult {
  readonly runId: string;
  readonly steps: number;
  /** The saved parameters (best-validated when validation ran, else the last). */
  readonly params: Float32Array;
  readonly lastParams: Float32Array;
  readonly losses: readonly number[];
  readonly modelDir: string;
  readonly lineagePath: string;
  readonly lineage: RunLineage;
}

interface LoopState {
  step: number;
  epoch: number;
  batchInEpoch: number;
  rngAtEpochStart: RngState;
  params: Float32Array;
  optimizer: OptimizerState;
  best: { params: Float32Array; loss: number; step: number } | null;
  sinceBest: number;
  losses: number[];
}

/** A new run id: `r-<yyyymmddhhmmss>-<6 hex>` (sortable; no ':' so it can prefix BullMQ job ids). */
export function newRunId(nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `r-${stamp}-${randomBytes(3).toString('hex')}`;
}

/**
 * Runs meta-training as the in-process `metaTrain` does (same batches from the same seeded RNG,
 * same Adam), with each meta-batch's gradient computed by shard jobs on any number of workers.
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
   * Runs (or resumes) a run to its end and writes the model and lineage.
   * @throws TrainingError `TRAIN_SHARD_FAILED` (with the shard's reason), `TRAIN_SPEC_INVALID`
   * (checkpoint of another spec), `TRAIN_DATA_VERSION_MISMATCH`, `TRAIN_CHECKPOINT_CORRUPT`; meta-learning's `ML_*`.
   */
  async run(spec: RunSpec, options: RunOptions = {}): Promise<RunResult> {
    const now = this.o.now ?? Date.now;
    const runId = options.runId ?? newRunId(now());
    const startedAtMs = now();
    let step = 0;
    try {
      const taskSet = await (this.o.loadTaskSet ?? defaultLoadTaskSet)(spec.data);
      const model = createMetaModel(taskSet.featureLayout, modelConfigOf(spec));
      const checkpoints = new CheckpointStore({ dir: runPaths(spec, runId).checkpointDir });
      const st = this.initialState(await checkpoints.loadLatest(), spec, model, taskSet, runId);
      step = st.step;
      if (st.step > 0) {
        this.o.logger.info({ runId, step: st.step }, 'resuming from checkpoint');
      }
      await this.o.store.putSpec(runId, spec);
      const loop = new StepLoop(this, spec, runId, taskSet, st, checkpoints, startedAtMs, options);
      const channel = trainingKeys.shardDone(runId);
      await this.subscriber.subscribe(channel);
      let outcome: LoopOutcome;
      try {
        outcome = await loop.run(() => {
          step = st.step;
        });
      } catch (error) {
        // A checkpoint still being written finishes (a closed coordinator keeps its last step).
        await loop.settle().catch((e: unknown) => this.o.logger.error({ runId, err: String(e) }, 'checkpoint write failed while the run failed'));
        throw error;
      } finally {
        await this.subscriber.unsubscribe(channel).catch((e: unknown) => this.o.logger.warn({ runId, err: String(e) }, 'unsubscribing from shard-done failed'));
      }
      await loop.settle();
      await this.cleanup;
      return await this.finish(spec, runId, model, taskSet, st, outcome, startedAtMs);
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

  /** @internal one meta-step: publish, enqueue, barrier, aggregate, Adam. */
  async metaStep(spec: RunSpec, runId: string, taskSet: TaskSet, st: LoopState, batch: readonly number[]): Promise<number> {
    const at = { runId, step: st.step };
    const trace = this.o.trace;
    const shards = await traced(trace, 'coord.plan', at, () => this.planStep(spec, runId, st.step, batch));
    await traced(trace, 'coord.publish', at, () => this.o.store.publishParams(runId, st.step, st.params));
    const jobs = shards.map((taskIndices, shard) => {
      const data: ShardJobData = {
        v: JOB_SCHEMA_VERSION,
        runId,
        step: st.step,
        shard,
        taskIndices,
        paramsKey: trainingKeys.params(runId, st.step),
        paramsVersion: st.step,
        dataVersion: taskSet.dataVersion,
      };
      assertSmallJson(data, 'shard job data');
      return {
        name: 'shard',
        data,
        opts: {
          jobId: shardJobId(runId, st.step, shard),
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
        step: st.step,
        jobs,
        params: st.params,
        ensureSpec: () => this.o.store.ensureSpec(runId, spec),
        logger: this.o.logger,
        wait: (ms) => this.waitForEvent(ms),
        pollIntervalMs: this.o.pollIntervalMs,
        closed: () => this.closing !== null,
        ...(trace === undefined ? {} : { trace }),
      }),
    );
    const lr = learningRateAt(spec.outer.lr, spec.outer.schedule, st.step);
    // aggregateShards + applyUpdate, fused and bit-identical (outer-update.ts).
    const u = await traced(trace, 'coord.update', at, () => aggregateAndUpdate(blobs, st.params, st.optimizer, { ...adamOptionsOf(spec), lr }));
    // Off the critical path: the blobs have a TTL, so a failed delete only holds memory until it expires.
    const step = st.step;
    this.cleanup = this.cleanup
      .then(() => traced(trace, 'coord.cleanup', at, () => this.o.store.deleteStep(runId, step, shards.length)))
      .catch((e: unknown) => this.o.logger.warn({ runId, step, err: String(e) }, 'deleting a finished step\'s blobs failed; they expire with their TTL'));
    st.params = u.params;
    st.optimizer = u.state;
    return u.loss;
  }

  /**
   * @internal the step's shards. `fixed`: chunks of `shardSize`. `live-workers`: a count from the
   * live worker slots, fixed once per step in Redis (see {@link RunStore.fixShardCount}), cut evenly.
   */
  async planStep(spec: RunSpec, runId: string, step: number, batch: readonly number[]): Promise<number[][]> {
    if (spec.sharding === 'fixed') {
      return planShards(batch, spec.shardSize);
    }
    const slots = await liveWorkerSlots(this.o.connection);
    const count = await this.o.store.fixShardCount(runId, step, shardCountFor(batch.length, spec.shardSize, spec.sharding, slots));
    return planShardsEvenly(batch, count);
  }

  /** @internal mean query loss after adaptation on the validation users (in a compute thread). */
  async validationLoss(spec: RunSpec, taskSet: TaskSet, params: Float32Array): Promise<number> {
    const out = await this.o.pool.run({ featureLayout: taskSet.featureLayout, modelConfig: modelConfigOf(spec), params, tasks: taskSet.validation, step: metaStepOptionsOf(spec) });
    return out.loss;
  }

  /** @internal */
  async putStatus(status: RunStatus, options: RunOptions): Promise<void> {
    await this.o.store.putStatus(status.runId, status);
    this.o.onStatus?.(status);
    await options.jobProgress?.(status);
  }

  /** @internal */
  get trace(): TraceSink | undefined {
    return this.o.trace;
  }

  /** @internal */
  nowMs(): number {
    return (this.o.now ?? Date.now)();
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

  private initialState(cp: Checkpoint | null, spec: RunSpec, model: MetaModel, taskSet: TaskSet, runId: string): LoopState {
    if (cp === null) {
      return {
        step: 0,
        epoch: 0,
        batchInEpoch: 0,
        rngAtEpochStart: new SeededRng(spec.seed).state(),
        params: initParams(model),
        optimizer: createOptimizerState(model.layout),
        best: null,
        sinceBest: 0,
        losses: [],
      };
    }
    if (cp.specHash !== specHash(spec) || cp.runId !== runId) {
      throw new TrainingError('TRAIN_SPEC_INVALID', `checkpoint of run ${cp.runId} was written for another spec; start a new run id`, { field: 'spec' });
    }
    if (cp.dataVersion !== taskSet.dataVersion) {
      throw new TrainingError('TRAIN_DATA_VERSION_MISMATCH', `checkpoint trained on ${cp.dataVersion}, the store now gives ${taskSet.dataVersion}`, { field: 'dataVersion' });
    }
    return {
      step: cp.step,
      epoch: cp.epoch,
      batchInEpoch: cp.batchInEpoch,
      rngAtEpochStart: cp.rngAtEpochStart,
      params: cp.params,
      optimizer: { step: cp.optimizer.step, m: cp.optimizer.m, v: cp.optimizer.v },
      best: cp.best === null ? null : { ...cp.best },
      sinceBest: cp.sinceBest,
      losses: [...cp.losses],
    };
  }

  private async finish(spec: RunSpec, runId: string, model: MetaModel, taskSet: TaskSet, st: LoopState, outcome: LoopOutcome, startedAtMs: number): Promise<RunResult> {
    const params = st.best?.params ?? st.params;
    const heldOut = taskSet.test.length > 0 ? taskSet.test : taskSet.validation;
    // The support-size shrinkage is chosen on the validation users (not the held-out ones it is then evaluated on).
    const calibration =
      spec.shrinkageGrid.length === 0 || taskSet.validation.length === 0
        ? null
        : calibrateShrinkage(model, params, taskSet.validation, { steps: spec.inner.steps, lr: spec.inner.lr, grid: spec.shrinkageGrid });
    const adaptation: TrainedAdaptation = { steps: spec.inner.steps, lr: spec.inner.lr, shrinkage: calibration?.shrinkage ?? 0, calibration };
    if (calibration !== null) {
      this.o.logger.info({ runId, shrinkage: adaptation.shrinkage, candidates: calibration.candidates.map((c) => ({ shrinkage: c.shrinkage, mean: Number(c.mean.toFixed(4)) })) }, 'support-size shrinkage calibrated on validation users');
    }
    const evaluation =
      heldOut.length === 0 ? null : await evaluateHeldOut({ model, params, train: taskSet.train, heldOut, adaptSteps: adaptation.steps, adaptLr: adaptation.lr, adaptShrinkage: adaptation.shrinkage });
    const lineage: RunLineage = {
      runId,
      spec,
      dataVersion: taskSet.dataVersion,
      watermarks: taskSet.watermarks,
      dataWatermarkMs: taskSet.dataWatermarkMs,
      schemaFingerprint: taskSet.schemaFingerprint,
      gitCommit: this.o.gitCommit,
      steps: st.step,
      bestStep: st.best?.step ?? st.step,
      bestValidationLoss: st.best?.loss ?? null,
      stoppedEarly: outcome.stoppedEarly,
      finalLoss: st.losses.length === 0 ? null : st.losses[st.losses.length - 1],
      evaluation,
      adaptation,
      startedAtMs,
      finishedAtMs: this.nowMs(),
    };
    const out = await writeRunOutput({ spec, model, params, vocabularies: taskSet.vocabularies, lineage });
    await this.o.store.putStatus(runId, { status: 'completed', runId, steps: st.step, modelDir: out.modelDir, lineagePath: out.lineagePath, finishedAtMs: this.nowMs() } satisfies RunStatus);
    this.o.logger.info({ runId, steps: st.step, modelDir: out.modelDir }, 'run completed');
    return { runId, steps: st.step, params, lastParams: st.params, losses: st.losses, ...out, lineage };
  }
}

interface LoopOutcome {
  readonly stoppedEarly: boolean;
}

/** The epoch/batch loop of one run (metaTrain's control flow, with checkpoints and status). */
class StepLoop {
  private pendingCheckpoint: Promise<void> | null = null;

  constructor(
    private readonly c: Coordinator,
    private readonly spec: RunSpec,
    private readonly runId: string,
    private readonly taskSet: TaskSet,
    private readonly st: LoopState,
    private readonly checkpoints: CheckpointStore,
    private readonly startedAtMs: number,
    private readonly options: RunOptions,
  ) {}

  async run(onStep: () => void): Promise<LoopOutcome> {
    const { spec, st } = this;
    const n = this.taskSet.train.length;
    const perEpoch = Math.ceil(n / spec.metaBatchSize);
    const totalSteps = spec.maxSteps > 0 ? Math.min(spec.maxSteps, perEpoch * spec.epochs) : perEpoch * spec.epochs;
    const sessionStart = { step: st.step, ms: this.c.nowMs() };
    let validated = st.best !== null;
    let stoppedEarly = false;
    let stopped = spec.maxSteps > 0 && st.step >= spec.maxSteps;
    while (!stopped && st.epoch < spec.epochs) {
      const rng = SeededRng.fromState(st.rngAtEpochStart);
      const batches = epochMetaBatches(n, spec.metaBatchSize, rng);
      const rngAfterShuffle = rng.state();
      while (st.batchInEpoch < batches.length) {
        const loss = await this.c.metaStep(spec, this.runId, this.taskSet, st, batches[st.batchInEpoch]);
        st.step += 1;
        st.batchInEpoch += 1;
        st.losses.push(loss);
        onStep();
        let validationLoss: number | null = null;
        if (spec.validateEvery > 0 && st.step % spec.validateEvery === 0 && this.taskSet.validation.length > 0) {
          validationLoss = await traced(this.c.trace, 'coord.validate', { runId: this.runId, step: st.step }, () => this.validate());
          validated = true;
        }
        stoppedEarly = spec.patience > 0 && st.sinceBest >= spec.patience;
        stopped = stoppedEarly || (spec.maxSteps > 0 && st.step >= spec.maxSteps);
        if (st.batchInEpoch >= batches.length) {
          st.epoch += 1;
          st.batchInEpoch = 0;
          st.rngAtEpochStart = rngAfterShuffle;
        }
        if (st.step % spec.checkpointEvery === 0 || stopped || st.epoch >= spec.epochs) {
          await traced(this.c.trace, 'coord.checkpoint', { runId: this.runId, step: st.step }, () => this.checkpoint());
        }
        const statusStartMs = this.c.trace === undefined ? 0 : wallMs();
        const elapsed = (this.c.nowMs() - sessionStart.ms) / 1000;
        const done = st.step - sessionStart.step;
        await this.c.putStatus(
          {
            status: 'running',
            runId: this.runId,
            step: st.step,
            totalSteps,
            epoch: st.epoch,
            loss,
            validationLoss,
            etaSec: done > 0 ? ((totalSteps - st.step) * elapsed) / done : null,
            startedAtMs: this.startedAtMs,
            updatedAtMs: this.c.nowMs(),
          },
          this.options,
        );
        this.c.trace?.({ name: 'coord.status', runId: this.runId, step: st.step, startMs: statusStartMs, endMs: wallMs() });
        if (stopped || st.batchInEpoch === 0) {
          break;
        }
      }
    }
    const needsFinal = this.taskSet.validation.length > 0 && (spec.validateEvery === 0 || st.step % spec.validateEvery !== 0 || !validated) && !stoppedEarly;
    if (needsFinal) {
      await this.validate();
    }
    return { stoppedEarly };
  }

  private async validate(): Promise<number> {
    const { st } = this;
    const loss = await this.c.validationLoss(this.spec, this.taskSet, st.params);
    if (st.best === null || loss < st.best.loss) {
      st.best = { params: st.params, loss, step: st.step };
      st.sinceBest = 0;
    } else {
      st.sinceBest += 1;
    }
    return loss;
  }

  /**
   * Waits for the checkpoint being written in the background (if any); its error surfaces here.
   * Called before the next checkpoint starts and before the run's output is written.
   */
  async settle(): Promise<void> {
    const pending = this.pendingCheckpoint;
    this.pendingCheckpoint = null;
    await pending;
  }

  /**
   * Starts writing a checkpoint of the current state and returns once the previous one is
   * durable: the write (fsyncs of ~4 parameter-sized files) overlaps the next step's shards
   * instead of stalling them. Safe because every array it holds is replaced, never mutated, by
   * later steps (Adam returns new arrays; losses are copied). A coordinator killed before the
   * write lands resumes from the checkpoint before: the same steps are recomputed identically.
   */
  private async checkpoint(): Promise<void> {
    await this.settle();
    const st = this.st;
    const checkpoint: Checkpoint = {
      runId: this.runId,
      step: st.step,
      epoch: st.epoch,
      batchInEpoch: st.batchInEpoch,
      rngAtEpochStart: st.rngAtEpochStart,
      params: st.params,
      optimizer: st.optimizer,
      best: st.best === null ? null : { ...st.best },
      sinceBest: st.sinceBest,
      losses: [...st.losses],
      dataVersion: this.taskSet.dataVersion,
      specHash: specHash(this.spec),
    };
    const at = { runId: this.runId, step: st.step };
    const write = traced(this.c.trace, 'bg.checkpoint', at, () => this.checkpoints.save(checkpoint));
    // Observed by settle(); until then a failure must not become an unhandled rejection.
    write.catch(() => undefined);
    this.pendingCheckpoint = write;
  }
}
