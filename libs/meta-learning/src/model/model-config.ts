import { MetaLearningError } from '../errors.js';

/** What the network predicts: a rating (MSE) or an interaction probability (logit + BCE). */
export type ModelTask = 'regression' | 'binary';

/** Which parameters the inner loop adapts per user: MeLU's decision layers (MLP) only, or all. */
export type AdaptScope = 'decision-layers' | 'all';

/**
 * Hidden activation. `relu` is MeLU's; `softplus` is smooth (finite-difference checks, no kinks).
 * Both are second-order safe on tfjs 4.22 (their gradients read the saved input, not the output);
 * sigmoid/tanh/exp/elu are deliberately not offered (their second-order gradients are wrong there).
 */
export type HiddenActivation = 'relu' | 'softplus';

/** The network's shape and training-relevant switches. Sizes are element counts. */
export interface ModelConfig {
  /** Embedding width of every categorical field, the pooled categories and the numeric projection. @defaultValue 32 */
  readonly embeddingDim: number;
  /** Hidden layer widths of the decision MLP. @defaultValue [64, 64] */
  readonly hidden: readonly number[];
  /** @defaultValue 'regression' */
  readonly task: ModelTask;
  /** @defaultValue 'decision-layers' (MeLU) */
  readonly adapt: AdaptScope;
  /** @defaultValue 'relu' */
  readonly activation: HiddenActivation;
  /** Seed of the parameter initialisation. @defaultValue 0 */
  readonly initSeed: number;
  /** Constant added to the regression output (e.g. the training rating mean) so the net learns residuals. @defaultValue 0 */
  readonly outputOffset: number;
  /**
   * Meta-SGD: learn one inner learning rate per adapted parameter element (`lr/<name>` entries in the
   * layout, initialised to `metaSgdInitLr`). @defaultValue false
   */
  readonly metaSgd: boolean;
  /** Initial per-element inner learning rate for Meta-SGD. @defaultValue 0.01 */
  readonly metaSgdInitLr: number;
}

/** Defaults as MeLU (Lee et al. 2019) and the PyTorch reference. */
export const DEFAULT_MODEL_CONFIG: ModelConfig = {
  embeddingDim: 32,
  hidden: [64, 64],
  task: 'regression',
  adapt: 'decision-layers',
  activation: 'relu',
  initSeed: 0,
  outputOffset: 0,
  metaSgd: false,
  metaSgdInitLr: 0.01,
};

/** Merges `config` over the defaults and validates. @throws MetaLearningError `ML_CONFIG_INVALID` naming the field. */
export function resolveModelConfig(config: Partial<ModelConfig> = {}): ModelConfig {
  const c: ModelConfig = { ...DEFAULT_MODEL_CONFIG, ...config };
  const bad = (field: string, why: string): never => {
    throw new MetaLearningError('ML_CONFIG_INVALID', `ModelConfig.${field} ${why}`, { field });
  };
  if (!Number.isInteger(c.embeddingDim) || c.embeddingDim < 1) {
    bad('embeddingDim', 'must be a positive integer');
  }
  if (c.hidden.length === 0 || !c.hidden.every((h) => Number.isInteger(h) && h > 0)) {
    bad('hidden', 'must be a non-empty list of positive integers');
  }
  if (c.task !== 'regression' && c.task !== 'binary') {
    bad('task', "must be 'regression' or 'binary'");
  }
  if (c.adapt !== 'decision-layers' && c.adapt !== 'all') {
    bad('adapt', "must be 'decision-layers' or 'all'");
  }
  if (c.activation !== 'relu' && c.activation !== 'softplus') {
    bad('activation', "must be 'relu' or 'softplus'");
  }
  if (!Number.isFinite(c.outputOffset) || !Number.isFinite(c.initSeed)) {
    bad('outputOffset/initSeed', 'must be finite');
  }
  if (!(c.metaSgdInitLr > 0)) {
    bad('metaSgdInitLr', 'must be > 0');
  }
  return c;
}
