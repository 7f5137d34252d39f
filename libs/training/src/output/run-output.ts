import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import type { FittedListHead, HeldOutEvaluation } from '@metarec/evaluation';
import { saveModelBundle, type AdaptationSettings, type MetaModel } from '@metarec/meta-learning';
import { writeFileAtomic } from '@metarec/runtime';

import type { DataWatermark } from '../data/task-set.js';
import type { RunSpec } from '../spec/run-spec.js';
import type { ShrinkageCalibration } from './calibrate-shrinkage.js';

/**
 * The local update the saved model is meant to be adapted with (the bundle's contract carries the
 * settings to serving) and, in the lineage only, the evidence its shrinkage κ was chosen on.
 */
export interface TrainedAdaptation extends AdaptationSettings {
  /** The validation run that chose `shrinkage` (null: calibration did not run, κ = 0). */
  readonly calibration: ShrinkageCalibration | null;
}

/** Where a run's artefacts go: `<output.dir>/<runId>/{model,lineage.json,checkpoints}`. */
export function runPaths(spec: RunSpec, runId: string): { root: string; modelDir: string; lineagePath: string; checkpointDir: string } {
  const root = path.resolve(spec.output.dir, runId);
  return { root, modelDir: path.join(root, 'model'), lineagePath: path.join(root, 'lineage.json'), checkpointDir: path.join(root, 'checkpoints') };
}

/** What produced a model: enough to reproduce it and to judge it (stored beside it and in its bundle). */
export interface RunLineage {
  readonly runId: string;
  readonly spec: RunSpec;
  readonly dataVersion: string;
  readonly watermarks: readonly DataWatermark[];
  /** Newest interaction time trained on, epoch ms (null for synthetic data). */
  readonly dataWatermarkMs: number | null;
  readonly schemaFingerprint: string;
  readonly gitCommit: string;
  readonly steps: number;
  readonly bestStep: number;
  readonly bestValidationLoss: number | null;
  readonly stoppedEarly: boolean;
  readonly finalLoss: number | null;
  readonly evaluation: HeldOutEvaluation | null;
  /** How to adapt the saved model (what its bundle's contract records) and how κ was chosen. */
  readonly adaptation: TrainedAdaptation;
  /** How the bundle's list head was chosen (evaluation's `FittedListHead.evidence`); null: no head, lists follow the network. Absent in older lineages. */
  readonly listHead?: Readonly<Record<string, string | number>> | null;
  readonly startedAtMs: number;
  readonly finishedAtMs: number;
}

/**
 * Saves the model with meta-learning's `saveModelBundle` (contract with `lineage.adaptation`'s settings
 * in `config.json`, the lineage in `extra.json`) and writes
 * `lineage.json` beside it (atomic durable write). A re-run of the final step overwrites both.
 */
export async function writeRunOutput(args: {
  readonly spec: RunSpec;
  readonly model: MetaModel;
  readonly params: Float32Array;
  readonly vocabularies: unknown;
  readonly lineage: RunLineage;
  /** The list head serving will order candidates with; null or absent: none. */
  readonly listHead?: FittedListHead | null;
}): Promise<{ modelDir: string; lineagePath: string }> {
  const paths = runPaths(args.spec, args.lineage.runId);
  await mkdir(paths.root, { recursive: true });
  await saveModelBundle(
    paths.modelDir,
    {
      model: args.model,
      params: args.params,
      vocabularies: args.vocabularies,
      adaptation: args.lineage.adaptation,
      extra: { lineage: args.lineage },
      ...(args.listHead == null ? {} : { listHead: { head: args.listHead.head, evidence: args.listHead.evidence } }),
    },
    { overwrite: true },
  );
  // Durable like the bundle beside it: a crash after the run reports success must not leave a lineage that never reached the disk.
  await writeFileAtomic(paths.lineagePath, JSON.stringify(args.lineage, null, 2) + '\n');
  return { modelDir: paths.modelDir, lineagePath: paths.lineagePath };
}
