import type { Dataset } from '@metarec/datasets';
import type { LoadedParams } from '@metarec/meta-learning';
import { inProcessExecutor, initialLoopState, loadParams, runMetaTraining } from '@metarec/meta-learning';

import { SeededRng } from '@metarec/runtime';

import { EvalConfigError } from '../errors.js';
import { choiceSupport, choiceTrainingSet, knownItems } from './choice-training-set.js';
import type { TrainingSet } from '../protocol/eval-task.js';
import type { FitContext, FitReport, Recommender, SupportSet } from '../recommender/recommender.js';
import { fitGlobalNetwork } from './global-net-recommender.js';
import type { GlobalTrainingOptions, MetaTrainingOptions, NeuralModelOptions } from './neural-options.js';
import { DEFAULT_GLOBAL_TRAINING_OPTIONS, DEFAULT_META_TRAINING_OPTIONS, DEFAULT_NEURAL_MODEL_OPTIONS } from './neural-options.js';
import { adaptAndScore } from './neural-scorer.js';
import { resplitEpisodes } from './neural-training.js';
import type { GlobalNetworkCache } from './global-network-cache.js';
import type { RowEncoder } from './row-encoder.js';

/** Seed offset of meta-training's shuffle and re-splits, so they do not replay the initialisation's draws. */
const META_TRAINING_SEED_OFFSET = 0x68e31da4;

/** Options of {@link MetaRecommender}. */
export interface MetaRecommenderOptions {
  readonly dataset: Dataset;
  /** Result key, e.g. `maml`, `metasgd_pre`. */
  readonly name: string;
  readonly model?: NeuralModelOptions;
  readonly meta?: MetaTrainingOptions;
  /** Pre-training settings (epochs come from `meta.pretrainEpochs`). */
  readonly pretraining?: Omit<GlobalTrainingOptions, 'epochs'>;
  /** Reuses a global network the run already trained with the same settings (pre-training). */
  readonly cache?: GlobalNetworkCache;
}

/**
 * A MeLU-style meta-learner: optionally pre-trains the network globally, then meta-trains it on
 * episodes re-split from the training users' support sets (MAML, FOMAML, Reptile or Meta-SGD);
 * at prediction it adapts on the user's support set with the inner loop it was trained with.
 */
export class MetaRecommender implements Recommender {
  readonly name: string;
  readonly predictsRatings: boolean;
  private readonly model: Required<NeuralModelOptions>;
  private readonly meta: Required<MetaTrainingOptions>;
  private loaded: LoadedParams | undefined;
  private encoder: RowEncoder | undefined;
  private knownItems: Int32Array = new Int32Array(0);

  constructor(private readonly options: MetaRecommenderOptions) {
    this.name = options.name;
    this.model = { ...DEFAULT_NEURAL_MODEL_OPTIONS, ...options.model };
    this.meta = { ...DEFAULT_META_TRAINING_OPTIONS, ...options.meta };
    this.predictsRatings = this.model.objective === 'rating';
    if (!(this.model.negativesPerPositive > 0)) {
      throw new EvalConfigError('EVAL_CONFIG_INVALID', `${this.name}: negativesPerPositive must be > 0`);
    }
    if (this.meta.algorithm === 'reptile' && this.model.adapt !== 'all' && this.meta.innerSteps < 1) {
      throw new EvalConfigError('EVAL_CONFIG_INVALID', `${this.name}: reptile needs innerSteps >= 1`);
    }
  }

  async fit(ratings: TrainingSet, context: FitContext): Promise<FitReport> {
    const m = this.meta;
    const choice = this.model.objective === 'choice';
    const train = choice ? choiceTrainingSet(ratings, this.model.negativesPerPositive, context.seed) : ratings;
    this.knownItems = knownItems(ratings);
    const metaSgd = m.algorithm === 'metasgd';
    const pre = fitGlobalNetwork(
      this.options.dataset,
      train,
      this.model,
      { ...DEFAULT_GLOBAL_TRAINING_OPTIONS, ...this.options.pretraining, epochs: m.pretrainEpochs },
      { seed: context.seed, onProgress: (f) => context.onProgress?.(0.3 * f, 'pre-training') },
      { metaSgd, metaSgdInitLr: m.innerLr, cache: this.options.cache },
    );
    const episodes = resplitEpisodes(train.tasks, pre.encoder);
    if (episodes.tasks.length === 0) {
      throw new EvalConfigError('EVAL_CONFIG_INVALID', `${this.name}: no training user has 2 or more support ratings to re-split`);
    }
    const executor = inProcessExecutor(pre.model, episodes.tasks.length, {
      algorithm: metaSgd ? (m.metaSgdFirstOrder ? 'fomaml' : 'maml') : m.algorithm,
      innerSteps: m.innerSteps,
      innerLr: m.innerLr,
    });
    const perEpoch = Math.ceil(episodes.tasks.length / m.metaBatch);
    const r = await runMetaTraining(executor, initialLoopState(pre.model.layout, pre.params, (context.seed ^ META_TRAINING_SEED_OFFSET) >>> 0), {
      metaBatchSize: m.metaBatch,
      epochs: m.epochs,
      outerLr: m.outerLr,
      adam: { clipValue: m.clipValue },
      resample: episodes.resample,
      onProgress: (p) => {
        if (p.step % perEpoch === 0) {
          context.onProgress?.((m.pretrainEpochs > 0 ? 0.3 : 0) + (m.pretrainEpochs > 0 ? 0.7 : 1) * (p.epoch / m.epochs), 'meta epoch');
        }
      },
    });
    this.encoder = pre.encoder;
    this.loaded = loadParams(pre.model, r.params);
    // Mean meta-loss per epoch, as the report has always shown.
    const losses = r.state.losses;
    const epochLosses = Array.from({ length: Math.ceil(losses.length / perEpoch) }, (_, e) => {
      const chunk = losses.slice(e * perEpoch, (e + 1) * perEpoch);
      return chunk.reduce((a, b) => a + b, 0) / chunk.length;
    });
    return {
      losses: epochLosses,
      chosen: { algorithm: metaSgd && m.metaSgdFirstOrder ? 'metasgd (first order)' : m.algorithm, adapt: this.model.adapt, itemId: String(this.model.includeItemId), objective: this.model.objective, pretrainEpochs: m.pretrainEpochs, metaEpochs: m.epochs, innerLr: m.innerLr, innerSteps: m.innerSteps },
    };
  }

  predict(user: number, support: SupportSet, items: Int32Array): Float32Array {
    if (!this.loaded || !this.encoder) {
      throw new EvalConfigError('EVAL_CONFIG_INVALID', `${this.name}: predict called before fit`);
    }
    // A choice model adapts on the user's items against as many unrated ones as it was trained with.
    const adaptOn = this.model.objective === 'choice' ? choiceSupport(support, this.knownItems, this.model.negativesPerPositive, new SeededRng(user)) : support;
    return adaptAndScore(this.loaded, this.encoder, { mode: 'adapt', settings: { steps: this.meta.innerSteps, lr: this.meta.innerLr } }, user, adaptOn, items);
  }

  dispose(): void {
    this.loaded?.dispose();
    this.loaded = undefined;
  }
}
