import type { Dataset } from '@metarec/datasets';
import type { LoadedParams, MetaModel } from '@metarec/meta-learning';
import { createMetaModel, initParams, loadParams, trainGlobal } from '@metarec/meta-learning';

import { EvalConfigError } from '../errors.js';
import type { TrainingSet } from '../protocol/eval-task.js';
import { ratingRange } from '../baselines/rating-range.js';
import type { FitContext, FitReport, Recommender, SupportSet } from '../recommender/recommender.js';
import { innerValidationSplit, validationMae } from '../recommender/tuned-recommender.js';
import type { GlobalTrainingOptions, NeuralModelOptions } from './neural-options.js';
import { DEFAULT_GLOBAL_TRAINING_OPTIONS, DEFAULT_NEURAL_MODEL_OPTIONS, FINE_TUNE_LR_GRID } from './neural-options.js';
import type { UserAdaptation } from './neural-scorer.js';
import { adaptAndScore } from './neural-scorer.js';
import type { GlobalNetworkCache } from './global-network-cache.js';
import type { RowEncoder } from './row-encoder.js';
import { datasetRowEncoder } from './row-encoder.js';
import { allTrainingRows } from './neural-training.js';

/** Seed offset of the global network's minibatch shuffle, so it does not replay the initialisation's draws. */
const GLOBAL_TRAINING_SEED_OFFSET = 0x2545f491;

/** Options of {@link GlobalNetRecommender}. */
export interface GlobalNetOptions {
  readonly dataset: Dataset;
  readonly model?: NeuralModelOptions;
  readonly training?: GlobalTrainingOptions;
  /** Fine-tune on each user's support set with a step size chosen on training users. @defaultValue false */
  readonly fineTune?: boolean;
  /** Fine-tune SGD steps. @defaultValue 5 */
  readonly fineTuneSteps?: number;
  /** Step sizes searched. @defaultValue {@link FINE_TUNE_LR_GRID} */
  readonly lrGrid?: readonly number[];
  /** Shares the trained network with other methods of the run. */
  readonly cache?: GlobalNetworkCache;
  /** Result key. @defaultValue 'global_net' or 'global_ft' */
  readonly name?: string;
}

interface Fitted {
  readonly encoder: RowEncoder;
  readonly model: MetaModel;
  readonly loaded: LoadedParams;
  readonly losses: readonly number[];
}

/** Trains MeLU's network without meta-learning (Adam on every training rating). Exported for the meta-learner's pre-training. */
export function fitGlobalNetwork(
  dataset: Dataset,
  train: TrainingSet,
  model: Required<NeuralModelOptions>,
  training: Required<GlobalTrainingOptions>,
  context: FitContext,
  extra: { metaSgd?: boolean; metaSgdInitLr?: number; cache?: GlobalNetworkCache } = {},
): { encoder: RowEncoder; model: MetaModel; params: Float32Array; losses: readonly number[] } {
  const encoder = datasetRowEncoder(dataset, train, { includeItemId: model.includeItemId });
  const net = createMetaModel(encoder.layout, {
    embeddingDim: model.embeddingDim,
    hidden: model.hidden,
    adapt: model.adapt,
    task: model.objective === 'choice' ? 'binary' : 'regression',
    initSeed: context.seed,
    // The net learns residuals around the training mean, as a bias model would.
    outputOffset: ratingRange(train.ratings).mean,
    metaSgd: extra.metaSgd ?? false,
    metaSgdInitLr: extra.metaSgdInitLr ?? 0.01,
  });
  const init = initParams(net, context.seed);
  if (training.epochs === 0) {
    return { encoder, model: net, params: init, losses: [] };
  }
  const fit = (): { params: Float32Array; losses: readonly number[] } => {
    const r = trainGlobal(net, init, [allTrainingRows(train, encoder)], {
      epochs: training.epochs,
      batchSize: training.batchSize,
      lr: training.lr,
      seed: (context.seed ^ GLOBAL_TRAINING_SEED_OFFSET) >>> 0,
      onEpoch: (e) => context.onProgress?.((e + 1) / training.epochs, 'global epoch'),
    });
    return { params: r.params, losses: Array.from(r.epochLosses) };
  };
  // Meta-SGD adds rate parameters, so its layout differs: only plain networks are shared.
  const key = JSON.stringify({ model, training, seed: context.seed });
  const r = extra.cache && !extra.metaSgd ? extra.cache.getOrTrain(train, key, fit) : fit();
  return { encoder, model: net, params: r.params, losses: r.losses };
}

/**
 * The reference's "global" baselines: the same network trained on every training rating without
 * meta-learning (`global_net`), optionally fine-tuned on each user's support set (`global_ft`)
 * with the step size that gives the lowest MAE on an inner validation split of the training
 * users (the net is trained on the inner split to choose it, then retrained on all training data).
 */
export class GlobalNetRecommender implements Recommender {
  readonly name: string;
  readonly predictsRatings = true;
  private readonly model: Required<NeuralModelOptions>;
  private readonly training: Required<GlobalTrainingOptions>;
  private fitted: Fitted | undefined;
  private adaptation: UserAdaptation = { mode: 'fine-tune', settings: { steps: 0, lr: 0 } };

  constructor(private readonly options: GlobalNetOptions) {
    this.model = { ...DEFAULT_NEURAL_MODEL_OPTIONS, ...options.model };
    this.training = { ...DEFAULT_GLOBAL_TRAINING_OPTIONS, ...options.training };
    this.name = options.name ?? (options.fineTune ? 'global_ft' : 'global_net');
  }

  async fit(train: TrainingSet, context: FitContext): Promise<FitReport> {
    const chosen: Record<string, number> = {};
    if (this.options.fineTune) {
      const steps = this.options.fineTuneSteps ?? 5;
      const { inner, validation } = innerValidationSplit(train, context.seed);
      const probe = this.train(inner, context);
      let best = { lr: 0, mae: Number.POSITIVE_INFINITY };
      for (const lr of this.options.lrGrid ?? FINE_TUNE_LR_GRID) {
        this.fitted = probe;
        this.adaptation = { mode: 'fine-tune', settings: { steps, lr } };
        const mae = await validationMae(this, validation);
        if (mae < best.mae) {
          best = { lr, mae };
        }
      }
      probe.loaded.dispose();
      this.adaptation = { mode: 'fine-tune', settings: { steps, lr: best.lr } };
      chosen['fineTuneLr'] = best.lr;
      chosen['innerValidationMae'] = Number(best.mae.toFixed(4));
    }
    this.fitted = this.train(train, context);
    return { losses: this.fitted.losses, chosen };
  }

  private train(train: TrainingSet, context: FitContext): Fitted {
    const r = fitGlobalNetwork(this.options.dataset, train, this.model, this.training, context, { cache: this.options.cache });
    return { encoder: r.encoder, model: r.model, loaded: loadParams(r.model, r.params), losses: r.losses };
  }

  predict(user: number, support: SupportSet, items: Int32Array): Float32Array {
    if (!this.fitted) {
      throw new EvalConfigError('EVAL_CONFIG_INVALID', `${this.name}: predict called before fit`);
    }
    return adaptAndScore(this.fitted.loaded, this.fitted.encoder, this.adaptation, user, support, items);
  }

  dispose(): void {
    this.fitted?.loaded.dispose();
    this.fitted = undefined;
  }
}
