import { sampleSupportSize, withFirstSupport } from '@metarec/datasets';
import type { UserTask } from '@metarec/schemas';

import type { RunStore } from '../blobs/run-store.js';
import { trainingKeys } from '../blobs/training-keys.js';
import type { ComputePool } from '../compute/compute-pool.js';
import type { TaskSetLoader } from '../data/load-task-set.js';
import type { TaskSet } from '../data/task-set.js';
import { TrainingError } from '../errors.js';
import { JOB_SCHEMA_VERSION, type ShardJobData, type ShardJobResult } from '../queue/job-contracts.js';
import { metaStepOptionsOf, modelConfigOf } from '../spec/spec-options.js';
import type { RunSpec } from '../spec/run-spec.js';
import { traced, wallMs, type TraceSink } from '../trace/step-trace.js';
import { PromiseCache } from './promise-cache.js';

/** Options of {@link ShardProcessor}. */
export interface ShardProcessorOptions {
  readonly store: RunStore;
  readonly pool: ComputePool;
  readonly loadTaskSet: TaskSetLoader;
  /** Parameter versions kept in memory (a worker usually needs only the current step's). @defaultValue 2 */
  readonly paramsCacheSize?: number;
  /** Task sets kept in memory, by data version. @defaultValue 2 */
  readonly taskSetCacheSize?: number;
  /** Receives timing spans of every shard (`worker.*`), for profiling. @defaultValue undefined (none) */
  readonly trace?: TraceSink;
}

/** Defaults of {@link ShardProcessorOptions}. */
export const DEFAULT_SHARD_PROCESSOR_OPTIONS = { paramsCacheSize: 2, taskSetCacheSize: 2 } as const;

/**
 * The work of one shard job, free of BullMQ: spec and tasks (cached by data version), parameters
 * (cached by version), the meta-step in a compute thread, the gradient accepted once per
 * (run, step, shard) under its key. Errors keep their codes (the worker maps unrecoverable ones).
 */
export class ShardProcessor {
  private readonly store: RunStore;
  private readonly pool: ComputePool;
  private readonly loadTaskSet: TaskSetLoader;
  private readonly specs = new PromiseCache<RunSpec>(8);
  private readonly taskSets: PromiseCache<TaskSet>;
  private readonly params: PromiseCache<Float32Array>;
  private readonly trace: TraceSink | undefined;

  constructor(options: ShardProcessorOptions) {
    const o = { ...DEFAULT_SHARD_PROCESSOR_OPTIONS, ...options };
    for (const field of ['paramsCacheSize', 'taskSetCacheSize'] as const) {
      if (!Number.isInteger(o[field]) || o[field] < 1) {
        throw new TrainingError('TRAIN_OPTIONS_INVALID', `ShardProcessorOptions.${field} must be an integer >= 1`, { field });
      }
    }
    this.store = o.store;
    this.pool = o.pool;
    this.loadTaskSet = o.loadTaskSet;
    this.taskSets = new PromiseCache(o.taskSetCacheSize);
    this.params = new PromiseCache(o.paramsCacheSize);
    this.trace = o.trace;
  }

  /**
   * Computes and stores one shard's gradient.
   * @throws TrainingError `TRAIN_DATA_VERSION_MISMATCH`, `TRAIN_PAYLOAD_INVALID` (task index out of range),
   * `TRAIN_BLOB_MISSING`, `TRAIN_BLOB_CORRUPT`, `TRAIN_RUN_NOT_FOUND`, `TRAIN_COMPUTE_FAILED`; meta-learning's `ML_*`.
   */
  async process(job: ShardJobData): Promise<ShardJobResult> {
    const spec = await this.specs.get(job.runId, () => this.store.getSpec(job.runId));
    // The data version leaves id dropout out (a training transform, not data), so it keys the cache too.
    const taskSet = await this.taskSets.get(`${job.dataVersion}|idDropout=${spec.data.idDropout}`, () => this.loadTaskSet(spec.data));
    if (taskSet.dataVersion !== job.dataVersion) {
      throw new TrainingError('TRAIN_DATA_VERSION_MISMATCH', `worker built data ${taskSet.dataVersion}, run ${job.runId} trains on ${job.dataVersion}`, {
        field: 'dataVersion',
      });
    }
    const tasks: UserTask[] = job.taskIndices.map((i) => {
      const task = taskSet.train[i];
      if (task === undefined) {
        throw new TrainingError('TRAIN_PAYLOAD_INVALID', `task index ${i} is out of range (${taskSet.train.length} training tasks)`, { field: 'taskIndices' });
      }
      return spec.supportSizes.length === 0 ? task : withFirstSupport(task, sampleSupportSize(spec.supportSizes, spec.seed, job.step, i));
    });
    const at = { runId: job.runId, step: job.step, shard: job.shard };
    const params = await traced(this.trace, 'worker.params', at, () => this.params.get(job.paramsKey, () => this.store.getParams(job.runId, job.paramsVersion)));
    const computeStartMs = this.trace === undefined ? 0 : wallMs();
    const out = await this.pool.run({ featureLayout: taskSet.featureLayout, modelConfig: modelConfigOf(spec), params, tasks, step: metaStepOptionsOf(spec) });
    if (this.trace !== undefined) {
      const endMs = wallMs();
      this.trace({ name: 'worker.compute', ...at, startMs: computeStartMs, endMs });
      // The meta-step itself, as timed inside the compute thread (the rest is messaging).
      this.trace({ name: 'worker.compute.thread', ...at, startMs: endMs - out.computeMs, endMs });
    }
    const stored = await traced(this.trace, 'worker.store', at, () => this.store.storeGradient(job.runId, job.step, job.shard, out.gradient, out.taskCount, out.loss));
    return {
      v: JOB_SCHEMA_VERSION,
      gradientKey: trainingKeys.gradient(job.runId, job.step, job.shard),
      taskCount: out.taskCount,
      loss: out.loss,
      accepted: stored.accepted,
      gradientBytes: stored.bytes,
      computeMs: out.computeMs,
    };
  }
}
