import type { UserTask } from '@metarec/schemas';

import { MetaLearningError } from '../errors.js';
import { applyUpdate, type AdamOptions, type OptimizerState } from '../optimizer/adam.js';
import { learningRateAt, type LrSchedule } from '../optimizer/lr-schedule.js';
import type { FlatParams } from '../params/param-layout.js';
import { SeededRng, type RngState } from '@metarec/runtime';
import type { SyncStepExecutor } from './in-process-executor.js';
import { epochMetaBatches } from './meta-batches.js';
import type { MetaLoopState } from './meta-loop-state.js';
import type { MetaStepExecutor, StepOutcome } from './step-executor.js';
import { TrainingHealth, type HealthGuardOptions } from './training-health.js';

/** What a validation callback reports; lower `loss` is better (early stopping watches it). */
export interface ValidationReport {
  readonly loss: number;
  /** Metrics in [0, 1] where 1 is perfect (nDCG, AUC, hit rate): exactly 1.0 stops the run as a leak. */
  readonly boundedMetrics?: Readonly<Record<string, number>>;
}

/** Progress after each outer update (after its validation and checkpoint). */
export interface TrainProgress {
  /** Updates applied so far. */
  readonly step: number;
  /** Epoch of the next step (it moves on when an epoch's last batch is done). */
  readonly epoch: number;
  /** Mean meta-loss of this update's batch. */
  readonly loss: number;
  readonly lr: number;
  readonly gradNorm: number;
  /** Steps the run will take if it does not stop early (an ETA's denominator). */
  readonly totalSteps: number;
  /** This update's validation, when one ran. */
  readonly validation?: ValidationReport;
}

/** Options of the meta-training loop (the seed is in the start state's RNG). */
export interface MetaLoopOptions {
  /** Tasks per meta-step. @defaultValue 32 */
  readonly metaBatchSize: number;
  /** Passes over the training tasks. @defaultValue 30 */
  readonly epochs: number;
  /** Stop after this many updates even mid-epoch (0 = no limit). @defaultValue 0 */
  readonly maxSteps: number;
  /** Base outer (Adam) learning rate. @defaultValue 1e-3 */
  readonly outerLr: number;
  /** @defaultValue { kind: 'constant' } */
  readonly schedule: LrSchedule;
  /** Adam settings other than lr (clipping, L2, weight decay). @defaultValue DEFAULT_ADAM_OPTIONS */
  readonly adam: Partial<Omit<AdamOptions, 'lr'>>;
  /**
   * Re-draws a batch's tasks before use (MeLU's per-epoch support/query re-split, support-size
   * sampling), from the loop's RNG right after the epoch shuffle, batch by batch. Must be
   * deterministic given the RNG: a resume replays it for the epoch's batches already done.
   */
  readonly resample?: (taskIndices: readonly number[], rng: SeededRng) => readonly UserTask[];
  /** Called every `validateEvery` updates (and after the last, unless stopped early). */
  readonly validate?: (params: FlatParams, step: number) => ValidationReport | Promise<ValidationReport>;
  /** Updates between validations (0 = only after the last). @defaultValue 0 */
  readonly validateEvery: number;
  /** Validations without improvement before stopping (0 = never stop early). @defaultValue 0 */
  readonly patience: number;
  /**
   * Receives the state every `checkpointEvery` updates, when the run stops and after the last
   * epoch; a resumed loop started from it continues identically. Awaited before the step's progress.
   */
  readonly onCheckpoint?: (state: MetaLoopState) => void | Promise<void>;
  /** Updates between checkpoints (0 = only at the end). @defaultValue 0 */
  readonly checkpointEvery: number;
  /** Awaited after every update. */
  readonly onProgress?: (progress: TrainProgress) => void | Promise<void>;
  /** Loss guards (constant or zero loss) and the bounded-metric guard on validation. */
  readonly health: Partial<HealthGuardOptions>;
}

/** Defaults as the PyTorch reference (batch 32, 30 epochs, Adam 1e-3); clipping off unless set. */
export const DEFAULT_META_LOOP_OPTIONS: MetaLoopOptions = {
  metaBatchSize: 32,
  epochs: 30,
  maxSteps: 0,
  outerLr: 1e-3,
  schedule: { kind: 'constant' },
  adam: {},
  validateEvery: 0,
  patience: 0,
  checkpointEvery: 0,
  health: {},
};

/** Result of a run. `params` are the best-validated ones when validation ran, else the last. */
export interface MetaTrainingResult {
  readonly params: FlatParams;
  readonly lastParams: FlatParams;
  readonly optimizerState: OptimizerState;
  readonly steps: number;
  /** Epochs started (a partly done epoch counts). */
  readonly epochs: number;
  readonly bestStep: number;
  readonly bestValidationLoss: number | null;
  readonly stoppedEarly: boolean;
  /** Mean meta-loss per update (of the whole run, a resumed one included). */
  readonly losses: Float32Array;
  /** The RNG where the loop left it. */
  readonly rngState: RngState;
  /** The final loop state (what a checkpoint of the finished run holds, plus a final validation). */
  readonly state: MetaLoopState;
}

function validateOptions(o: MetaLoopOptions): void {
  const checks: Array<[string, boolean]> = [
    ['metaBatchSize', Number.isInteger(o.metaBatchSize) && o.metaBatchSize >= 1],
    ['epochs', Number.isInteger(o.epochs) && o.epochs >= 0],
    ['maxSteps', Number.isInteger(o.maxSteps) && o.maxSteps >= 0],
    ['outerLr', o.outerLr > 0],
    ['validateEvery', Number.isInteger(o.validateEvery) && o.validateEvery >= 0],
    ['patience', Number.isInteger(o.patience) && o.patience >= 0],
    ['checkpointEvery', Number.isInteger(o.checkpointEvery) && o.checkpointEvery >= 0],
  ];
  for (const [field, ok] of checks) {
    if (!ok) {
      throw new MetaLearningError('ML_CONFIG_INVALID', `MetaLoopOptions.${field} is invalid`, { field });
    }
  }
}

/**
 * The loop body, written once as a generator: every call that may be asynchronous (executor step,
 * validation, checkpoint, progress) is yielded, and the driver feeds back its (awaited) value.
 * `runMetaTraining` awaits; `runMetaTrainingSync` requires plain values. One control flow, two drivers.
 */
function* loopBody(executor: MetaStepExecutor, start: MetaLoopState, o: MetaLoopOptions): Generator<unknown, MetaTrainingResult, unknown> {
  validateOptions(o);
  const n = executor.taskCount;
  if (!(Number.isInteger(n) && n >= 1)) {
    throw new MetaLearningError('ML_TASKS_EMPTY', 'meta-training needs at least one training task', { field: 'taskCount' });
  }
  const perEpoch = Math.ceil(n / o.metaBatchSize);
  const totalSteps = o.maxSteps > 0 ? Math.min(o.maxSteps, perEpoch * o.epochs) : perEpoch * o.epochs;
  const health = new TrainingHealth(o.health);
  let st: MetaLoopState = { ...start, losses: [...start.losses] };
  const losses = [...start.losses];
  let validated = st.best !== null;
  let stoppedEarly = false;
  let stopped = o.maxSteps > 0 && st.step >= o.maxSteps;
  let rng = SeededRng.fromState(st.rngAtEpochStart);

  function* runValidation(): Generator<unknown, ValidationReport | undefined, unknown> {
    if (o.validate === undefined) {
      return undefined;
    }
    const report = (yield o.validate(st.params, st.step)) as ValidationReport;
    validated = true;
    health.recordBoundedMetrics(st.step, report.boundedMetrics ?? {});
    if (st.best === null || report.loss < st.best.loss) {
      st = { ...st, best: { params: st.params, loss: report.loss, step: st.step }, sinceBest: 0 };
    } else {
      st = { ...st, sinceBest: st.sinceBest + 1 };
    }
    return report;
  }

  while (!stopped && st.epoch < o.epochs) {
    rng = SeededRng.fromState(st.rngAtEpochStart);
    const batches = epochMetaBatches(n, o.metaBatchSize, rng);
    // A resume mid-epoch replays the draws of the batches already done, so the RNG is where it was.
    for (let b = 0; o.resample !== undefined && b < st.batchInEpoch; b++) {
      o.resample(batches[b], rng);
    }
    while (st.batchInEpoch < batches.length) {
      const taskIndices = batches[st.batchInEpoch];
      const tasks = o.resample?.(taskIndices, rng);
      const r = (yield executor.step(st.params, { step: st.step, taskIndices, ...(tasks === undefined ? {} : { tasks }) })) as StepOutcome;
      health.recordLoss(st.step, r.loss);
      const lr = learningRateAt(o.outerLr, o.schedule, st.step);
      const u = applyUpdate(st.params, st.optimizer, r.gradient, { ...o.adam, lr });
      losses.push(r.loss);
      st = { ...st, step: st.step + 1, batchInEpoch: st.batchInEpoch + 1, params: u.params, optimizer: u.state, losses };
      const validation = o.validateEvery > 0 && st.step % o.validateEvery === 0 ? yield* runValidation() : undefined;
      stoppedEarly = o.patience > 0 && st.sinceBest >= o.patience;
      stopped = stoppedEarly || (o.maxSteps > 0 && st.step >= o.maxSteps);
      if (st.batchInEpoch >= batches.length) {
        st = { ...st, epoch: st.epoch + 1, batchInEpoch: 0, rngAtEpochStart: rng.state() };
      }
      if (o.onCheckpoint !== undefined && ((o.checkpointEvery > 0 && st.step % o.checkpointEvery === 0) || stopped || st.epoch >= o.epochs)) {
        // A snapshot: `losses` grows in place, everything else is replaced by later steps.
        yield o.onCheckpoint({ ...st, losses: [...losses] });
      }
      if (o.onProgress !== undefined) {
        yield o.onProgress({ step: st.step, epoch: st.epoch, loss: r.loss, lr, gradNorm: u.gradNorm, totalSteps, ...(validation ? { validation } : {}) });
      }
      if (stopped || st.batchInEpoch === 0) {
        break;
      }
    }
  }
  if (o.validate !== undefined && (o.validateEvery === 0 || st.step % o.validateEvery !== 0 || !validated) && !stoppedEarly) {
    yield* runValidation();
  }
  const final: MetaLoopState = { ...st, losses: [...losses] };
  const best = final.best;
  return {
    params: best?.params ?? final.params,
    lastParams: final.params,
    optimizerState: final.optimizer,
    steps: final.step,
    epochs: final.batchInEpoch > 0 ? final.epoch + 1 : final.epoch,
    bestStep: best?.step ?? final.step,
    bestValidationLoss: best?.loss ?? null,
    stoppedEarly,
    losses: Float32Array.from(losses),
    rngState: rng.state(),
    state: final,
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * THE meta-training loop: epochs of seeded meta-batches (`epochMetaBatches`), the executor's
 * meta-gradient, one Adam update (`applyUpdate` at `learningRateAt`), health guards, validation
 * with best-params tracking and early stopping, checkpoints and progress. Start it from
 * `initialLoopState` or from a saved state (resume).
 * @throws MetaLearningError `ML_TASKS_EMPTY`, `ML_CONFIG_INVALID`, `ML_LOSS_CONSTANT`, `ML_LOSS_ZERO`,
 * `ML_METRIC_SATURATED`, `ML_NON_FINITE`; whatever the executor or a hook throws.
 */
export async function runMetaTraining(executor: MetaStepExecutor, start: MetaLoopState, options: Partial<MetaLoopOptions> = {}): Promise<MetaTrainingResult> {
  const g = loopBody(executor, start, { ...DEFAULT_META_LOOP_OPTIONS, ...options });
  let next = g.next();
  while (!next.done) {
    let value: unknown;
    try {
      value = await next.value;
    } catch (error) {
      next = g.throw(error);
      continue;
    }
    next = g.next(value);
  }
  return next.value;
}

/**
 * The same loop, run synchronously for callers that are synchronous themselves (the evaluation
 * CLI's recommenders, studies, benchmarks): the executor and every hook must return plain values.
 * @throws MetaLearningError `ML_CONFIG_INVALID` when a hook returns a promise; otherwise as {@link runMetaTraining}.
 */
export function runMetaTrainingSync(executor: SyncStepExecutor, start: MetaLoopState, options: Partial<MetaLoopOptions> = {}): MetaTrainingResult {
  const g = loopBody(executor, start, { ...DEFAULT_META_LOOP_OPTIONS, ...options });
  let next = g.next();
  while (!next.done) {
    if (isThenable(next.value)) {
      // Observed here so its own failure cannot surface later as an unhandled rejection.
      Promise.resolve(next.value).catch(() => undefined);
      throw new MetaLearningError('ML_CONFIG_INVALID', 'runMetaTrainingSync: a hook returned a promise; use runMetaTraining', { field: 'options' });
    }
    next = g.next(next.value);
  }
  return next.value;
}
