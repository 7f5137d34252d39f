// Public surface of @metarec/training: distributed meta-training over BullMQ.

// errors
export type { TrainingErrorCode } from './errors.js';
export { TrainingError } from './errors.js';

// spec/
export type { RunDataSpec, RunSpec, RunSpecInput } from './spec/run-spec.js';
export { parseRunSpec } from './spec/run-spec.js';
export { adamOptionsOf, metaStepOptionsOf, modelConfigOf } from './spec/spec-options.js';
export type { SearchObjective, SearchParam, SearchSpec, SearchValue } from './spec/search-spec.js';
export type { TuningProvenance } from './spec/tuning-provenance.js';

// data/
export type { DataWatermark, TaskSet } from './data/task-set.js';
export type { TaskSetLoader } from './data/load-task-set.js';
export { loadTaskSet } from './data/load-task-set.js';
export { syntheticTaskSet } from './data/synthetic-task-set.js';
export { offlineStoreTaskSet } from './data/offline-store-task-set.js';

// blobs/
export type { BlobKind, DecodedBlob } from './blobs/blob-codec.js';
export { decodeBlob, encodeBlob } from './blobs/blob-codec.js';
export { TRAINING_KEY_PREFIX } from './blobs/training-keys.js';
export type { RunStoreOptions } from './blobs/run-store.js';
export { RunStore } from './blobs/run-store.js';

// queue/
export type { RunJobData, ShardJobData, ShardJobResult } from './queue/job-contracts.js';
export { assertNoEviction } from './queue/redis-policy.js';

// compute/
export type { ComputeInput, ComputeOutput, ComputePoolOptions } from './compute/compute-pool.js';
export { ComputePool } from './compute/compute-pool.js';

// worker/
export type { ShardProcessorOptions } from './worker/shard-processor.js';
export { ShardProcessor } from './worker/shard-processor.js';
export type { RunJobHandler, TrainingLogger, TrainingWorkerOptions } from './worker/training-worker.js';
export { TrainingWorker } from './worker/training-worker.js';
export { WorkerMetrics } from './worker/worker-metrics.js';

// coordinator/
export type { CoordinatorOptions, RunOptions } from './coordinator/coordinator.js';
export { Coordinator } from './coordinator/coordinator.js';
export { aggregateShards } from './coordinator/shard-plan.js';
export { createRunJobHandler } from './coordinator/run-job-handler.js';
export type { RunResult } from './run/finish-run.js';

// checkpoint/
export type { Checkpoint } from './checkpoint/checkpoint.js';

// schedule/
export type { RunSchedule, RunSchedulerOptions } from './schedule/run-scheduler.js';
export { RunScheduler } from './schedule/run-scheduler.js';

// status/
export type { RunStatus } from './status/run-status.js';
export { readRunStatus } from './status/read-run-status.js';

// monitor/
export type { TrainerQueuesOptions } from './monitor/trainer-queues.js';
export { TRAINER_QUEUE_NAMES, TrainerQueues } from './monitor/trainer-queues.js';
export type { JobCountSource, JobState, QueueGaugesOptions } from './monitor/queue-gauges.js';
export { JOB_STATES, QueueGauges } from './monitor/queue-gauges.js';
export type { RunProgress, RunProgressOptions } from './monitor/run-progress.js';
export { DEFAULT_RUN_PROGRESS_OPTIONS, runProgress } from './monitor/run-progress.js';
export type { ListRunsOptions } from './monitor/run-list.js';
export { DEFAULT_LIST_RUNS_OPTIONS, listRuns, MAX_LIST_RUNS } from './monitor/run-list.js';
export type { DashboardAuth, DashboardAuthResult } from './monitor/dashboard-auth.js';
export { createDashboardAuth } from './monitor/dashboard-auth.js';

// output/
export type { RunLineage, TrainedAdaptation } from './output/run-output.js';
export type { CalibrateShrinkageOptions, ShrinkageCalibration, ShrinkageCandidate } from './output/calibrate-shrinkage.js';
export { calibrateShrinkage } from './output/calibrate-shrinkage.js';
export type { RegisterRunOptions } from './output/register-run.js';
export { registerRun } from './output/register-run.js';
export type { RegistryRunTrackerOptions, RunTrackingClient } from './output/registry-run-tracker.js';
export { DEFAULT_REGISTRY_RUN_TRACKER_OPTIONS, RegistryRunTracker } from './output/registry-run-tracker.js';

// tune/
export type { TrialParams } from './tune/search-space.js';
export type { TrialStatus } from './tune/tune-state.js';
export type { TuneStoreOptions } from './tune/tune-store.js';
export { TuneStore } from './tune/tune-store.js';
export type { TrialProcessorOptions } from './tune/trial-processor.js';
export { TrialProcessor } from './tune/trial-processor.js';
export type { TuneCoordinatorOptions, TuneOptions, TuneProgress, TuneResult } from './tune/tune-coordinator.js';
export { TuneCoordinator } from './tune/tune-coordinator.js';
export type { TuningBest, TuningResults, TuningTrialRow } from './tune/tuning-results.js';
export { formatTuningTable } from './tune/tuning-results.js';

// trace/
export type { TraceSink, TraceSpan } from './trace/step-trace.js';
