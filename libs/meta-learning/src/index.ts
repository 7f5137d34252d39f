// Public surface of @metarec/meta-learning, one section per folder. Owners append only to their own section.

// errors
export type { MetaLearningErrorCode } from './errors.js';
export { MetaLearningError } from './errors.js';

// params/
export type { FlatParams, ParamEntry, ParamLayout, ParamSpec } from './params/param-layout.js';
export type { NamedTensors } from './params/flat-params.js';

// model/
export type { AdaptScope, HiddenActivation, ModelConfig, ModelTask } from './model/model-config.js';
export type { MetaModel } from './model/meta-model.js';
export { createMetaModel } from './model/meta-model.js';
export { adaptedTensorBytes } from './model/adapted-bytes.js';
export { initParams } from './model/init-params.js';
export type { ItemRows } from './model/model-inputs.js';

// algorithms/
export type { MetaAlgorithm, MetaStepOptions, MetaStepResult } from './algorithms/meta-step.js';
export { DEFAULT_META_STEP_OPTIONS, metaStep } from './algorithms/meta-step.js';

// optimizer/
export type { AdamOptions, OptimizerState, UpdateResult } from './optimizer/adam.js';
export { applyUpdate, createOptimizerState } from './optimizer/adam.js';
export type { LrSchedule } from './optimizer/lr-schedule.js';

// adaptation/
export type { LoadedParams } from './adaptation/serving-params.js';
export { loadParams } from './adaptation/serving-params.js';
export type { AdaptationSettings } from './adaptation/adaptation-settings.js';
export { DEFAULT_ADAPTATION_SETTINGS } from './adaptation/adaptation-settings.js';
export type { AdaptedUser, AdaptOptions } from './adaptation/adapt.js';
export { adapt, fineTune } from './adaptation/adapt.js';
export { predictRows, score } from './adaptation/score.js';
export type { TableRowOverrides } from './model/host-embeddings.js';

// training-loop/
export type { MetaLoopOptions, MetaTrainingResult, TrainProgress, ValidationReport } from './training-loop/meta-training-loop.js';
export { runMetaTraining, runMetaTrainingSync } from './training-loop/meta-training-loop.js';
export type { MetaLoopState } from './training-loop/meta-loop-state.js';
export { initialLoopState } from './training-loop/meta-loop-state.js';
export type { MetaBatch, MetaStepExecutor, StepOutcome } from './training-loop/step-executor.js';
export type { SyncStepExecutor } from './training-loop/in-process-executor.js';
export { inProcessExecutor } from './training-loop/in-process-executor.js';
export type { TrainGlobalOptions } from './training-loop/train-global.js';
export { trainGlobal } from './training-loop/train-global.js';
export type { HealthGuardOptions } from './training-loop/training-health.js';

// backend/ (tfjs backend selection, kernels)
export type { BackendAttempt, BackendLogger, BackendName, BackendSelection, SelectBackendOptions } from './backend/select-backend.js';
export type { TensorflowThreads } from './backend/tensorflow-threads.js';
export { parseBackendName, selectBackend } from './backend/select-backend.js';
export type { BackendErrorCode } from './backend/backend-error.js';
export { BackendError } from './backend/backend-error.js';
export type { GatherGradProbe, GatherGradProbeOptions, MatMulGradientProbe, MatMulPathsProbe, MatMulPathTiming, MatMulProbeOptions, ProbeOptions, TidyDataSyncProbe, Timings } from './backend/kernel-probes.js';
export { liveTensorCount, probeGatherGrad, probeMatMulGradient, probeMatMulPaths, probeMatMulPathsBothKernels, probeTidyDataSync } from './backend/kernel-probes.js';
export type { KernelProfile, KernelTotal } from './backend/kernel-profile.js';
export { profileKernels } from './backend/kernel-profile.js';
export type { BackendReservation } from './backend/reserve-backend-memory.js';
export { reserveBackendMemory } from './backend/reserve-backend-memory.js';

// list-head/ (the list order serving returns)
export type { ListHead, ListHeadRating } from './list-head/list-head.js';
export { LIST_HEAD_CONTENT_FEATURES, LIST_HEAD_FEATURES, listHeadBucket, listHeadSlots } from './list-head/list-head.js';
export type { ListHeadRequest } from './list-head/list-head-scores.js';
export { listHeadFeatures, listHeadRatings, listHeadScores } from './list-head/list-head-scores.js';
export type { ColdBandWeights } from './list-head/list-features.js';
export { orderWithColdBand, scoreList, standardizeColumns } from './list-head/list-features.js';
export { bucketRange, SUPPORT_BUCKET_STARTS, supportBucket } from './list-head/support-buckets.js';
export type { EncodedListHead, ListHeadJson } from './list-head/list-head-codec.js';
export { checkListHead, decodeListHead, encodeListHead, LIST_HEAD_FILES, LIST_HEAD_FORMAT_VERSION } from './list-head/list-head-codec.js';
// persistence/ (runtime helper)
export type { ModelBundle, StoredListHead } from './persistence/model-bundle.js';
export type { ManifestFile, ModelDirManifest } from './persistence/model-manifest.js';
export { MODEL_DIR_FORMAT, MODEL_DIR_FORMAT_VERSION } from './persistence/model-manifest.js';
export type { SaveModelDirOptions } from './persistence/save-model-dir.js';
export { saveModelDir } from './persistence/save-model-dir.js';
export type { LoadedModelDir } from './persistence/load-model-dir.js';
export { loadModelDir } from './persistence/load-model-dir.js';
export type { PersistenceErrorCode } from './persistence/persistence-error.js';
export { PersistenceError } from './persistence/persistence-error.js';
export type { ModelContract } from './persistence/model-contract.js';
export type { ModelBundleContents } from './persistence/save-model-bundle.js';
export { modelContractOf, saveModelBundle } from './persistence/save-model-bundle.js';
export type { LoadedModelBundle } from './persistence/load-model-bundle.js';
export { loadModelBundle } from './persistence/load-model-bundle.js';
