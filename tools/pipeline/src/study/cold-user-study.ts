#!/usr/bin/env node
// Why does (or doesn't) the meta-learned model beat the baselines on the pipeline's held-out users?
// Trains in process on the pipeline's world (same tasks and split as the trainer) for each variant
// and prints held-out MAE adapted / unadapted, the same MAE on training users (memorization shows
// as a gap), and the baselines on the same query ratings:
//   npx tsx --conditions=@metarec/source tools/pipeline/src/study/cold-user-study.ts \
//     --world '{"users":1000}' --variant 'algo=maml;steps=120' --variant 'algo=fomaml;steps=400;lr=0.05;val=50'
import { Command } from 'commander';

import { applyIdDropout, ratingScaleOf, withFirstSupport, type SupportSize, type SyntheticOptions } from '@metarec/datasets';
import { createMetaModel, inProcessExecutor, initialLoopState, initParams, runMetaTrainingSync, selectBackend, type MetaAlgorithm, type ModelConfig } from '@metarec/meta-learning';
import type { SeededRng } from '@metarec/runtime';
import { calibrateShrinkage, parseRunSpec } from '@metarec/training';

import { userTaskSplit, queryMae } from '@metarec/evaluation';

import { baselineMae, modelMae, modelPredictions } from './held-out-scores.js';
import { studyTasks } from './study-tasks.js';
import { meanAbsoluteShift, withUnknownQueryItems } from './unknown-items.js';

/** The trainer's default `shrinkageGrid`. */
const DEFAULT_SHRINKAGE_GRID = parseRunSpec({ data: { kind: 'synthetic' }, output: { dir: '.' } }).shrinkageGrid;

/** One training configuration, as `key=value;…` (defaults: the trainer's run-spec defaults with the pipeline's batch 16). */
interface Variant {
  readonly label: string;
  readonly algorithm: MetaAlgorithm;
  readonly steps: number;
  readonly innerSteps: number;
  readonly innerLr: number;
  readonly outerLr: number;
  readonly batch: number;
  /** Meta-steps between validations (0: none; else the best-validated parameters are kept, as the trainer does). */
  readonly validateEvery: number;
  /**
   * Support sizes a training task is cut to, one drawn per use (`all`: the whole support); empty: whole
   * supports only. Trains the prior to be good after few ratings too, not only after a full support.
   */
  readonly shots: readonly SupportSize[];
  /** Candidate support-size shrinkages κ calibrated on validation users after training (`shrink=` ; `shrink=none`: κ = 0). */
  readonly shrinkGrid: readonly number[];
  readonly model: Partial<ModelConfig>;
}

function parseVariant(text: string): Variant {
  const kv = new Map(text.split(';').filter(Boolean).map((pair) => pair.split('=') as [string, string]));
  const num = (key: string, fallback: number): number => (kv.has(key) ? Number(kv.get(key)) : fallback);
  const model: Partial<ModelConfig> = { outputOffset: 3.5 };
  return {
    label: text,
    algorithm: (kv.get('algo') ?? 'maml') as MetaAlgorithm,
    steps: num('steps', 120),
    innerSteps: num('inner', 5),
    innerLr: num('lr', 0.01),
    outerLr: num('olr', 1e-3),
    batch: num('batch', 16),
    validateEvery: num('val', 0),
    shrinkGrid: kv.get('shrink') === 'none' ? [] : kv.has('shrink') ? (kv.get('shrink') ?? '').split(',').map(Number) : DEFAULT_SHRINKAGE_GRID,
    shots: (kv.get('shots') ?? '').split(',').filter((x) => x !== '').map((x): SupportSize => (x === 'all' ? 'all' : Number(x))),
    model: kv.get('adapt') === 'all' ? { ...model, adapt: 'all' } : model,
  };
}

/** Support sizes of the by-support-size curve (the pipeline summary's). */
const SUPPORT_CURVE = [0, 1, 3, 10] as const;

const program = new Command('cold-user-study')
  .option('--world <json>', 'generateSynthetic options over the pipeline world (seed 7, 300 users, 200 items, 20-60 ratings)', '{}')
  .option('--user-id', 'encode a user_id field (the encoder default before it was dropped)', false)
  .option('--id-dropout <p>', 'train with item_id replaced by unknown (0) on this share of training rows (applyIdDropout, seed 0)', '0')
  .option('--variant <spec>', 'key=value;… with algo, steps, inner, lr, olr, batch, val, adapt, shots (e.g. shots=1,3,10,all), shrink (κ grid, e.g. shrink=0,5,10; none: off) (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
  .action(async (o: { world: string; userId: boolean; idDropout: string; variant: string[] }) => {
    await selectBackend({ preferred: 'wasm' });
    const world = JSON.parse(o.world) as SyntheticOptions;
    const tasks = studyTasks(world, o.userId);
    const scale = ratingScaleOf(tasks.dataset);
    const b = await baselineMae(userTaskSplit(tasks.train, tasks.test), scale);
    const dropout = Number(o.idDropout);
    // Only the meta-training tasks lose ids; validation and held-out users keep theirs.
    const trainTasks = dropout > 0 ? applyIdDropout(tasks.train, tasks.featureLayout, { probability: dropout, seed: 0 }) : tasks.train;
    console.log(`world ${o.world}${o.userId ? ' +user_id' : ''}${dropout > 0 ? ` item_id dropout ${dropout}` : ''}: ${tasks.train.length} train / ${tasks.validation.length} validation / ${tasks.test.length} held-out users`);
    console.log(`baselines  globalMean ${b.globalMean.toFixed(3)}  userMean ${b.userMean.toFixed(3)}  itemMean ${b.itemMean.toFixed(3)}  bias ${b.bias.toFixed(3)}`);
    for (const v of (o.variant.length === 0 ? ['algo=maml;steps=120'] : o.variant).map(parseVariant)) {
      const model = createMetaModel(tasks.featureLayout, v.model);
      const started = performance.now();
      const adaptedOn = (users: typeof tasks.test, params: Float32Array): number => modelMae(model, params, users, { steps: v.innerSteps, lr: v.innerLr });
      const executor = inProcessExecutor(model, trainTasks, { algorithm: v.algorithm, innerSteps: v.innerSteps, innerLr: v.innerLr });
      const result = runMetaTrainingSync(executor, initialLoopState(model.layout, initParams(model), 0), {
        metaBatchSize: v.batch,
        epochs: 1_000_000,
        maxSteps: v.steps,
        outerLr: v.outerLr,
        ...(v.validateEvery > 0 ? { validateEvery: v.validateEvery, validate: (p: Float32Array) => ({ loss: adaptedOn(tasks.validation, p) }) } : {}),
        ...(v.shots.length > 0
          ? { resample: (indices: readonly number[], rng: SeededRng) => indices.map((i) => withFirstSupport(trainTasks[i], v.shots[rng.int(v.shots.length)])) }
          : {}),
      });
      const seconds = (performance.now() - started) / 1000;
      // As the trainer does after training: the support-size shrinkage κ chosen on the validation users.
      const calibration = v.shrinkGrid.length === 0 ? null : calibrateShrinkage(model, result.params, tasks.validation, { steps: v.innerSteps, lr: v.innerLr, grid: v.shrinkGrid });
      const kappa = calibration?.shrinkage ?? 0;
      const adaptedOnCalibrated = (users: typeof tasks.test, params: Float32Array): number => modelMae(model, params, users, { steps: v.innerSteps, lr: v.innerLr, shrinkage: kappa });
      if (calibration !== null) {
        console.log(`${''.padEnd(44)} shrinkage κ ${kappa} on ${calibration.users} validation users (mean MAE over support ${calibration.supportSizes.join('/')}: ${calibration.candidates.map((c) => `κ ${c.shrinkage} ${c.mean.toFixed(3)}`).join(', ')})`);
      }
      console.log(
        `${v.label.padEnd(44)} kept step ${result.bestStep}/${result.steps} (${seconds.toFixed(0)} s)  held-out: adapted ${adaptedOnCalibrated(tasks.test, result.params).toFixed(3)}${kappa === 0 ? '' : ` (κ 0: ${adaptedOn(tasks.test, result.params).toFixed(3)})`}` +
          `  unadapted ${modelMae(model, result.params, tasks.test, { steps: 0, lr: v.innerLr }).toFixed(3)}  | training users adapted ${adaptedOnCalibrated(tasks.train.slice(0, 100), result.params).toFixed(3)}`,
      );
      // The pipeline's curve: each held-out user's first k ratings as support (0: the prior), model vs bias.
      const curve: string[] = [];
      for (const k of SUPPORT_CURVE) {
        const cut = tasks.test.map((t) => withFirstSupport(t, k));
        const modelK = k === 0 ? modelMae(model, result.params, tasks.test, { steps: 0, lr: v.innerLr }) : modelMae(model, result.params, cut, { steps: v.innerSteps, lr: v.innerLr, shrinkage: kappa });
        const biasK = (await baselineMae(userTaskSplit(tasks.train, cut), scale)).bias;
        curve.push(`${k} → ${modelK.toFixed(3)} vs ${biasK.toFixed(3)}`);
      }
      console.log(`${''.padEnd(44)} by support size (first k ratings; model vs bias): ${curve.join(', ')}`);
      if (tasks.featureLayout.itemFields.some((f) => f.name === 'item_id')) {
        // The same held-out query ratings with each item scored as a new item (item_id unknown).
        const known = modelPredictions(model, result.params, tasks.test, { steps: v.innerSteps, lr: v.innerLr, shrinkage: kappa });
        const unknownTasks = withUnknownQueryItems(tasks.featureLayout, tasks.test);
        const unknown = modelPredictions(model, result.params, unknownTasks, { steps: v.innerSteps, lr: v.innerLr, shrinkage: kappa });
        console.log(
          `${''.padEnd(44)} held-out query items as unknown (new items): adapted ${queryMae(unknown, unknownTasks).toFixed(3)} vs known ${queryMae(known, tasks.test).toFixed(3)},` +
            ` mean |shift| ${meanAbsoluteShift(unknown, known).toFixed(3)} stars, mean shift ${meanSigned(unknown, known).toFixed(3)}`,
        );
      }
    }
  });

function meanSigned(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  const d = a.flatMap((user, u) => Array.from(user, (v, r) => v - b[u][r]));
  return d.reduce((s, x) => s + x, 0) / Math.max(1, d.length);
}

await program.parseAsync(process.argv);
