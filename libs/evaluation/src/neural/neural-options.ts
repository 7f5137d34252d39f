import type { AdaptScope, MetaAlgorithm } from '@metarec/meta-learning';

/** Network shape and features of the neural methods (MeLU's defaults). */
export interface NeuralModelOptions {
  /** @defaultValue 32 */
  readonly embeddingDim?: number;
  /** @defaultValue [64, 64] */
  readonly hidden?: readonly number[];
  /** Item-id embedding for items seen in training (MeLU: none). @defaultValue false */
  readonly includeItemId?: boolean;
  /** Parameters adapted per user: MeLU's decision layers or all. @defaultValue 'decision-layers' */
  readonly adapt?: AdaptScope;
  /**
   * What the network learns: `rating` (MSE on the stars, MeLU) or `choice` (logistic loss on rated
   * items against sampled unrated ones, in pre-training, the inner and the outer loop; the method
   * then ranks and reports no rating error). @defaultValue 'rating'
   */
  readonly objective?: 'rating' | 'choice';
  /** Sampled unrated items per rated item for `choice`. @defaultValue 1 */
  readonly negativesPerPositive?: number;
}

/** Plain (non-meta) training of the global network: Adam on minibatches of all training ratings. */
export interface GlobalTrainingOptions {
  /** @defaultValue 30 */
  readonly epochs?: number;
  /** Rows per Adam step. @defaultValue 256 */
  readonly batchSize?: number;
  /** Adam step size. @defaultValue 1e-3 */
  readonly lr?: number;
}

/** Meta-training (outer loop) settings. */
export interface MetaTrainingOptions {
  /** `metasgd` = MAML with learned per-parameter inner rates. @defaultValue 'maml' */
  readonly algorithm?: MetaAlgorithm | 'metasgd';
  /** @defaultValue 30 */
  readonly epochs?: number;
  /** Tasks per outer step. @defaultValue 32 */
  readonly metaBatch?: number;
  /** Inner SGD steps (training and evaluation). @defaultValue 5 */
  readonly innerSteps?: number;
  /** Inner step size (initial value for Meta-SGD). @defaultValue 0.01 */
  readonly innerLr?: number;
  /** Outer Adam step size. @defaultValue 1e-3 */
  readonly outerLr?: number;
  /** Clamp meta-gradient elements (the reference: 10). @defaultValue 10 */
  readonly clipValue?: number;
  /** Meta-SGD with first-order meta-gradients (cheaper; the learned rates still get their gradient). @defaultValue false */
  readonly metaSgdFirstOrder?: boolean;
  /** Epochs of plain global training first, whose parameters initialise meta-training. 0 = MeLU (random init). @defaultValue 0 */
  readonly pretrainEpochs?: number;
}

/** Resolved neural defaults. */
export const DEFAULT_NEURAL_MODEL_OPTIONS: Required<NeuralModelOptions> = { embeddingDim: 32, hidden: [64, 64], includeItemId: false, adapt: 'decision-layers', objective: 'rating', negativesPerPositive: 1 };
/** Resolved global-training defaults (the reference's). */
export const DEFAULT_GLOBAL_TRAINING_OPTIONS: Required<GlobalTrainingOptions> = { epochs: 30, batchSize: 256, lr: 1e-3 };
/** Resolved meta-training defaults (MeLU's PyTorch port). */
export const DEFAULT_META_TRAINING_OPTIONS: Required<MetaTrainingOptions> = {
  algorithm: 'maml',
  epochs: 30,
  metaBatch: 32,
  innerSteps: 5,
  innerLr: 0.01,
  outerLr: 1e-3,
  clipValue: 10,
  metaSgdFirstOrder: false,
  pretrainEpochs: 0,
};

/** Step sizes tried for "global + fine-tune" (the reference's grid, widened upward), chosen on training users. */
export const FINE_TUNE_LR_GRID: readonly number[] = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1];
