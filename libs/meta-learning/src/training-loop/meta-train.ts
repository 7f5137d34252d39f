import type { UserTask } from '@metarec/schemas';

import { metaStep, type MetaStepOptions } from '../algorithms/meta-step.js';
import { MetaLearningError } from '../errors.js';
import type { MetaModel } from '../model/meta-model.js';
import { applyUpdate, createOptimizerState, type AdamOptions, type OptimizerState } from '../optimizer/adam.js';
import { learningRateAt, type LrSchedule } from '../optimizer/lr-schedule.js';
import type { FlatParams } from '../params/param-layout.js';
import { SeededRng, type RngState } from '@metarec/runtime';
import { epochMetaBatches } from './meta-batches.js';
import { TrainingHealth, type HealthGuardOptions } from './training-health.js';

/** What a validation callback reports; lower `loss` is better (early stopping watches it). */
export interface ValidationReport {
  readonly loss: number;
  /** Metrics in [0, 1] where 1 is perfect (nDCG, AUC, hit rate): exactly 1.0 stops the run as a leak. */
  readonly boundedMetrics?: Readonly<Record<string, number>>;
}

/** Progress after each outer update. */
export interface TrainProgress {
  readonly step: number;
  readonly epoch: number;
  readonly loss: number;
  readonly lr: number;
  readonly gradNorm: number;
  readonly validation?: ValidationReport;
}

/** Options of `metaTrain`. */
export interface MetaTrainOptions {
  /** Tasks per meta-step. @defaultValue 32 */
  readonly metaBatchSize: number;
  /** Passes over the training tasks. @defaultValue 30 */
  readonly epochs: number;
  /** Stop after this many updates even mid-epoch (0 = no limit). @defaultValue 0 */
  readonly maxSteps: number;
  /** Inner loop and algorithm. @defaultValue DEFAULT_META_STEP_OPTIONS */
  readonly step: Partial<MetaStepOptions>;
  /** Base outer (Adam) learning rate. @defaultValue 1e-3 */
  readonly outerLr: number;
  /** @defaultValue { kind: 'constant' } */
  readonly schedule: LrSchedule;
  /** Adam settings other than lr (clipping, L2, weight decay). @defaultValue DEFAULT_ADAM_OPTIONS */
  readonly adam: Partial<Omit<AdamOptions, 'lr'>>;
  /** Seed of task shuffling and `resample`. @defaultValue 0 */
  readonly seed: number;
  /** Re-draw a task before each use (e.g. MeLU's per-epoch support/query re-split of warm users). */
  readonly resample?: (task: UserTask, rng: SeededRng) => UserTask;
  /** Called every `validateEvery` updates (and after the last). */
  readonly validate?: (params: FlatParams, step: number) => ValidationReport;
  /** Updates between validations (0 = never). @defaultValue 0 */
  readonly validateEvery: number;
  /** Validations without improvement before stopping (0 = never stop early). @defaultValue 0 */
  readonly patience: number;
  readonly onProgress?: (progress: TrainProgress) => void;
  readonly health: Partial<HealthGuardOptions>;
}

/** Defaults as the PyTorch reference (batch 32, 30 epochs, Adam 1e-3); clipping off unless set. */
export const DEFAULT_META_TRAIN_OPTIONS: MetaTrainOptions = {
  metaBatchSize: 32,
  epochs: 30,
  maxSteps: 0,
  step: {},
  outerLr: 1e-3,
  schedule: { kind: 'constant' },
  adam: {},
  seed: 0,
  validateEvery: 0,
  patience: 0,
  health: {},
};

/** Result of a run. `params` are the best-validated ones when validation ran, else the last. */
export interface MetaTrainResult {
  readonly params: FlatParams;
  readonly lastParams: FlatParams;
  readonly optimizerState: OptimizerState;
  readonly steps: number;
  readonly epochs: number;
  readonly bestStep: number;
  readonly bestValidationLoss: number | null;
  readonly stoppedEarly: boolean;
  /** Mean meta-loss per update. */
  readonly losses: Float32Array;
  readonly rngState: RngState;
}

function validateOptions(o: MetaTrainOptions): void {
  const checks: Array<[string, boolean]> = [
    ['metaBatchSize', Number.isInteger(o.metaBatchSize) && o.metaBatchSize >= 1],
    ['epochs', Number.isInteger(o.epochs) && o.epochs >= 0],
    ['maxSteps', Number.isInteger(o.maxSteps) && o.maxSteps >= 0],
    ['outerLr', o.outerLr > 0],
    ['validateEvery', Number.isInteger(o.validateEvery) && o.validateEvery >= 0],
    ['patience', Number.isInteger(o.patience) && o.patience >= 0],
  ];
  for (const [field, ok] of checks) {
    if (!ok) {
      throw new MetaLearningError('ML_CONFIG_INVALID', `MetaTrainOptions.${field} is invalid`, { field });
    }
  }
}

/**
 * The single-machine meta-training loop, built only from `epochMetaBatches` + `metaStep` +
 * `applyUpdate` (+ `learningRateAt`), so a distributed trainer doing the same with averaged worker
 * gradients produces the same parameters. Synchronous (tfjs CPU/wasm kernels are synchronous).
 * @throws MetaLearningError `ML_TASKS_EMPTY`, `ML_CONFIG_INVALID`, `ML_LOSS_CONSTANT`, `ML_LOSS_ZERO`, `ML_METRIC_SATURATED`, `ML_NON_FINITE`.
 */
export function metaTrain(model: MetaModel, initial: FlatParams, tasks: readonly UserTask[], options: Partial<MetaTrainOptions> = {}): MetaTrainResult {
  const o: MetaTrainOptions = { ...DEFAULT_META_TRAIN_OPTIONS, ...options };
  validateOptions(o);
  if (tasks.length === 0) {
    throw new MetaLearningError('ML_TASKS_EMPTY', 'metaTrain needs at least one training task', { field: 'tasks' });
  }
  const rng = new SeededRng(o.seed);
  const health = new TrainingHealth(o.health);
  let params: FlatParams = initial.slice();
  let state = createOptimizerState(model.layout);
  let best = { params, loss: Number.POSITIVE_INFINITY, step: 0 };
  let sinceBest = 0;
  let step = 0;
  let epoch = 0;
  let stoppedEarly = false;
  let validated = false;
  const losses: number[] = [];
  const runValidation = (): ValidationReport | undefined => {
    if (o.validate === undefined) {
      return undefined;
    }
    const report = o.validate(params, step);
    validated = true;
    health.recordBoundedMetrics(step, report.boundedMetrics ?? {});
    if (report.loss < best.loss) {
      best = { params, loss: report.loss, step };
      sinceBest = 0;
    } else {
      sinceBest += 1;
    }
    return report;
  };
  outer: for (; epoch < o.epochs; epoch++) {
    for (const batch of epochMetaBatches(tasks.length, o.metaBatchSize, rng)) {
      const batchTasks = batch.map((i) => (o.resample ? o.resample(tasks[i], rng) : tasks[i]));
      const r = metaStep(model, params, batchTasks, o.step);
      health.recordLoss(step, r.loss);
      const lr = learningRateAt(o.outerLr, o.schedule, step);
      const u = applyUpdate(params, state, r.gradient, { ...o.adam, lr });
      params = u.params;
      state = u.state;
      step += 1;
      losses.push(r.loss);
      const validation = o.validateEvery > 0 && step % o.validateEvery === 0 ? runValidation() : undefined;
      o.onProgress?.({ step, epoch, loss: r.loss, lr, gradNorm: u.gradNorm, ...(validation ? { validation } : {}) });
      if (o.patience > 0 && sinceBest >= o.patience) {
        stoppedEarly = true;
        break outer;
      }
      if (o.maxSteps > 0 && step >= o.maxSteps) {
        break outer;
      }
    }
  }
  if (o.validate !== undefined && (o.validateEvery === 0 || step % o.validateEvery !== 0 || !validated) && !stoppedEarly) {
    runValidation();
  }
  const useBest = validated && Number.isFinite(best.loss);
  return {
    params: useBest ? best.params : params,
    lastParams: params,
    optimizerState: state,
    steps: step,
    epochs: stoppedEarly || (o.maxSteps > 0 && step >= o.maxSteps) ? epoch + 1 : epoch,
    bestStep: useBest ? best.step : step,
    bestValidationLoss: useBest ? best.loss : null,
    stoppedEarly,
    losses: Float32Array.from(losses),
    rngState: rng.state(),
  };
}
