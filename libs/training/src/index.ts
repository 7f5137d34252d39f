// Public surface of @metarec/training: distributed meta-training over BullMQ.

// errors
export type { TrainingErrorCode } from './errors.js';
export { errorCodeOf, TrainingError, UNRECOVERABLE_CODES } from './errors.js';

// spec/
export type { RunDataSpec, RunSpec, RunSpecInput } from './spec/run-spec.js';
export { parseRunSpec, RUN_SPEC_VERSION, runSpecSchema } from './spec/run-spec.js';
export { adamOptionsOf, metaStepOptionsOf, modelConfigOf, specHash } from './spec/spec-options.js';

// data/
export type { DataWatermark, TaskSet } from './data/task-set.js';
export type { TaskSetLoader } from './data/load-task-set.js';
export { loadTaskSet } from './data/load-task-set.js';
export { syntheticTaskSet } from './data/synthetic-task-set.js';
export { offlineStoreTaskSet } from './data/offline-store-task-set.js';

// blobs/
export type { BlobKind, DecodedBlob } from './blobs/blob-codec.js';
export { decodeBlob, encodeBlob, ZERO_BLOCK_FLOATS } from './blobs/blob-codec.js';
export { TRAINING_KEY_PREFIX, trainingKeys } from './blobs/training-keys.js';
export type { RunStoreOptions } from './blobs/run-store.js';
export { DEFAULT_RUN_STORE_OPTIONS, RunStore } from './blobs/run-store.js';

// queue/
export type { RunJobData, ShardJobData, ShardJobResult } from './queue/job-contracts.js';
export {
  assertSmallJson,
  JOB_SCHEMA_VERSION,
  MAX_JOB_JSON_BYTES,
  parsePayload,
  RUN_QUEUE,
  runJobSchema,
  SHARD_QUEUE,
  shardJobSchema,
  shardResultSchema,
} from './queue/job-contracts.js';
export { assertNoEviction } from './queue/redis-policy.js';

// compute/
export type { ComputeInput, ComputeOutput, ComputePoolOptions } from './compute/compute-pool.js';
export { ComputePool, DEFAULT_COMPUTE_POOL_OPTIONS } from './compute/compute-pool.js';

// worker/
export type { ShardProcessorOptions } from './worker/shard-processor.js';
export { DEFAULT_SHARD_PROCESSOR_OPTIONS, ShardProcessor } from './worker/shard-processor.js';
export type { RunJobHandler, TrainingLogger, TrainingWorkerOptions } from './worker/training-worker.js';
export { DEFAULT_TRAINING_WORKER_OPTIONS, TrainingWorker } from './worker/training-worker.js';
export { WorkerMetrics } from './worker/worker-metrics.js';
export type { WorkerPresenceOptions } from './worker/worker-presence.js';
export { DEFAULT_WORKER_PRESENCE, liveWorkerSlots, WorkerPresence } from './worker/worker-presence.js';

// coordinator/
export type { CoordinatorOptions, RunOptions } from './coordinator/coordinator.js';
export { Coordinator, DEFAULT_COORDINATOR_OPTIONS, newRunId } from './coordinator/coordinator.js';
export { aggregateShards, planShards, planShardsEvenly, shardCountFor } from './coordinator/shard-plan.js';
export type { AwaitShardsArgs } from './coordinator/shard-barrier.js';
export { awaitShards, shardJobId } from './coordinator/shard-barrier.js';
export { createRunJobHandler } from './coordinator/run-job-handler.js';
export type { RunResult } from './run/finish-run.js';

// checkpoint/
export type { Checkpoint } from './checkpoint/checkpoint.js';
export type { CheckpointStoreOptions } from './checkpoint/checkpoint-store.js';
export { CheckpointStore } from './checkpoint/checkpoint-store.js';

// schedule/
export type { RunSchedule, RunSchedulerOptions } from './schedule/run-scheduler.js';
export { RunScheduler, runIdForJob } from './schedule/run-scheduler.js';

// status/
export type { RunStatus } from './status/run-status.js';
export { readRunStatus } from './status/read-run-status.js';

// output/
export type { RunLineage, TrainedAdaptation } from './output/run-output.js';
export type { CalibrateShrinkageOptions, ShrinkageCalibration, ShrinkageCandidate } from './output/calibrate-shrinkage.js';
export { CALIBRATION_SUPPORT_SIZES, calibrateShrinkage } from './output/calibrate-shrinkage.js';
export { runPaths, writeRunOutput } from './output/run-output.js';
export type { RegisterRunOptions } from './output/register-run.js';
export { HELD_OUT_SCENARIO, registerRun } from './output/register-run.js';

// trace/
export type { TraceSink, TraceSpan } from './trace/step-trace.js';
export { traced, wallMs } from './trace/step-trace.js';
