import { evaluateHeldOut, fitListHead, type FittedListHead } from '@metarec/evaluation';
import type { MetaModel, MetaTrainingResult } from '@metarec/meta-learning';

import type { RunStore } from '../blobs/run-store.js';
import type { TaskSet } from '../data/task-set.js';
import { calibrateShrinkage } from '../output/calibrate-shrinkage.js';
import { writeRunOutput, type RunLineage, type TrainedAdaptation } from '../output/run-output.js';
import type { RunSpec } from '../spec/run-spec.js';
import type { RunStatus } from '../status/run-status.js';
import type { TrainingLogger } from '../worker/training-worker.js';

/** What {@link finishRun} needs besides the trained result. */
export interface FinishRunArgs {
  readonly spec: RunSpec;
  readonly runId: string;
  readonly model: MetaModel;
  readonly taskSet: TaskSet;
  readonly trained: MetaTrainingResult;
  readonly startedAtMs: number;
  readonly gitCommit: string;
  readonly store: RunStore;
  readonly logger: TrainingLogger;
  readonly now: () => number;
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

/**
 * Everything after the last meta-step: the support-size shrinkage calibrated on the validation
 * users, the list head fitted (weights chosen on the validation users), the held-out evaluation
 * (lists in the head's order, as served), the lineage, the model directory, and the completed status.
 */
export async function finishRun(a: FinishRunArgs): Promise<RunResult> {
  const { spec, runId, model, taskSet, trained } = a;
  const params = trained.params;
  const heldOut = taskSet.test.length > 0 ? taskSet.test : taskSet.validation;
  // The support-size shrinkage is chosen on the validation users (not the held-out ones it is then evaluated on).
  const calibration =
    spec.shrinkageGrid.length === 0 || taskSet.validation.length === 0
      ? null
      : calibrateShrinkage(model, params, taskSet.validation, { steps: spec.inner.steps, lr: spec.inner.lr, grid: spec.shrinkageGrid });
  const adaptation: TrainedAdaptation = { steps: spec.inner.steps, lr: spec.inner.lr, shrinkage: calibration?.shrinkage ?? 0, calibration };
  if (calibration !== null) {
    a.logger.info({ runId, shrinkage: adaptation.shrinkage, candidates: calibration.candidates.map((c) => ({ shrinkage: c.shrinkage, mean: Number(c.mean.toFixed(4)) })) }, 'support-size shrinkage calibrated on validation users');
  }
  const listHead = await fitRunListHead(a, adaptation);
  const evaluation =
    heldOut.length === 0 ? null : await evaluateHeldOut({
          model,
          params,
          train: taskSet.train,
          heldOut,
          ratingScale: taskSet.ratingScale,
          adaptSteps: adaptation.steps,
          adaptLr: adaptation.lr,
          adaptShrinkage: adaptation.shrinkage,
          // The split seed is part of the gate's evaluation set id: runs compared there rank against the same sampled items.
          negativeSeed: spec.data.splitSeed,
          ...(listHead === null ? {} : { listHead: listHead.head }),
        });
  const losses = trained.state.losses;
  const lineage: RunLineage = {
    runId,
    spec,
    dataVersion: taskSet.dataVersion,
    watermarks: taskSet.watermarks,
    dataWatermarkMs: taskSet.dataWatermarkMs,
    schemaFingerprint: taskSet.schemaFingerprint,
    gitCommit: a.gitCommit,
    steps: trained.steps,
    bestStep: trained.bestStep,
    bestValidationLoss: trained.bestValidationLoss,
    stoppedEarly: trained.stoppedEarly,
    finalLoss: losses.length === 0 ? null : losses[losses.length - 1],
    evaluation,
    adaptation,
    listHead: listHead?.evidence ?? null,
    startedAtMs: a.startedAtMs,
    finishedAtMs: a.now(),
  };
  const out = await writeRunOutput({ spec, model, params, vocabularies: taskSet.vocabularies, lineage, listHead });
  await a.store.putStatus(runId, { status: 'completed', runId, steps: trained.steps, modelDir: out.modelDir, lineagePath: out.lineagePath, finishedAtMs: a.now() } satisfies RunStatus);
  a.logger.info({ runId, steps: trained.steps, modelDir: out.modelDir }, 'run completed');
  return { runId, steps: trained.steps, params, lastParams: trained.lastParams, losses, ...out, lineage };
}

/** The run's list head (see `RunSpec.listHead`), or null when off or without validation users to choose it on. */
async function fitRunListHead(a: FinishRunArgs, adaptation: TrainedAdaptation): Promise<FittedListHead | null> {
  const { spec, taskSet } = a;
  if (!spec.listHead.enabled) {
    return null;
  }
  if (taskSet.validation.length === 0) {
    a.logger.warn({ runId: a.runId }, 'no validation users: no list head fitted, lists follow the network alone');
    return null;
  }
  const fitted = await fitListHead({
    model: a.model,
    params: a.trained.params,
    update: { steps: adaptation.steps, lr: adaptation.lr, shrinkage: adaptation.shrinkage },
    train: taskSet.train,
    validation: taskSet.validation,
    ratingScale: taskSet.ratingScale,
    seed: spec.data.splitSeed,
    negativeCount: spec.listHead.negativeCount,
    itemItemL2Multipliers: spec.listHead.itemItemL2Multipliers,
    maxItems: spec.listHead.maxItems,
  });
  a.logger.info({ runId: a.runId, ...fitted.evidence }, 'list head fitted on validation users');
  return fitted;
}
