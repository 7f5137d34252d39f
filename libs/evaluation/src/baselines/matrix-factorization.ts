import { EvalConfigError } from '../errors.js';
import type { TrainingSet } from '../protocol/eval-task.js';
import { SeededRng } from '@metarec/runtime';
import type { FitReport, Recommender, SupportSet } from '../recommender/recommender.js';
import type { BiasedFactors } from './biased-als.js';
import { fitBiasedAls, solveSide } from './biased-als.js';
import type { RatingRange } from './rating-range.js';
import { clipRating, ratingRange } from './rating-range.js';

/** Options of {@link MatrixFactorizationRecommender}. */
export interface MatrixFactorizationOptions {
  /** Result key. @defaultValue 'mf' (or 'bias' when factors = 0) */
  readonly name?: string;
  /** Latent dimension; 0 gives the user + item bias model. @defaultValue 16 */
  readonly factors?: number;
  /** L2 weight on factor vectors (per vector, not scaled by count, so a few-rating fold-in stays shrunk). @defaultValue 5 */
  readonly factorPenalty?: number;
  /** L2 weight on biases. @defaultValue 5 */
  readonly biasPenalty?: number;
  /** ALS sweeps (user half-step + item half-step). @defaultValue 15 */
  readonly iterations?: number;
  /** Std of the initial item vectors. @defaultValue 0.1 */
  readonly initStd?: number;
  /** Seed of the initial vectors; the runner passes its seed. @defaultValue 0 */
  readonly seed?: number;
}

/** Default {@link MatrixFactorizationOptions}. */
export const DEFAULT_MATRIX_FACTORIZATION_OPTIONS: Required<Omit<MatrixFactorizationOptions, 'name'>> = {
  factors: 16,
  factorPenalty: 5,
  biasPenalty: 5,
  iterations: 15,
  initStd: 0.1,
  seed: 0,
};

/**
 * Biased matrix factorization trained by ALS on the training rows. Every user — warm or new —
 * is folded in from the support set at prediction time by the same ridge solve as an ALS user
 * step, so a new user gets a vector and a bias from a handful of ratings; for a warm user the
 * support set is exactly its training rows. Items without training ratings (new items) have
 * a zero vector and bias. Predictions are clipped to the training rating range.
 */
export class MatrixFactorizationRecommender implements Recommender {
  readonly name: string;
  readonly predictsRatings = true;
  private readonly options: Required<Omit<MatrixFactorizationOptions, 'name'>>;
  private model: BiasedFactors | undefined;
  private range: RatingRange = { min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY, mean: 0 };

  constructor(options: MatrixFactorizationOptions = {}) {
    this.options = { ...DEFAULT_MATRIX_FACTORIZATION_OPTIONS, ...options };
    const o = this.options;
    if (!(Number.isInteger(o.factors) && o.factors >= 0) || !(o.factorPenalty > 0) || !(o.biasPenalty > 0) || !(o.iterations >= 1)) {
      throw new EvalConfigError('EVAL_CONFIG_INVALID', `MatrixFactorizationOptions invalid: ${JSON.stringify(o)}`);
    }
    this.name = options.name ?? (o.factors === 0 ? 'bias' : 'mf');
  }

  fit(train: TrainingSet): FitReport {
    const o = this.options;
    this.range = ratingRange(train.ratings);
    this.model = fitBiasedAls({
      ...train,
      factors: o.factors,
      penalty: { factor: o.factorPenalty, bias: o.biasPenalty },
      iterations: o.iterations,
      initStd: o.initStd,
      rng: new SeededRng(o.seed),
    });
    return { chosen: { factors: o.factors, factorPenalty: o.factorPenalty, biasPenalty: o.biasPenalty } };
  }

  predict(_user: number, support: SupportSet, items: Int32Array): Float32Array {
    const m = this.model;
    if (!m) {
      throw new EvalConfigError('EVAL_CONFIG_INVALID', `${this.name}: predict called before fit`);
    }
    const k = m.factors;
    const p = new Float64Array(k);
    const penalty = { factor: this.options.factorPenalty, bias: this.options.biasPenalty };
    const bu = solveSide(k, support.items, support.ratings, m.mean, m.itemFactors, m.itemBias, penalty, p, 0);
    return Float32Array.from(items, (i) => {
      let dot = 0;
      for (let x = 0; x < k; x++) {
        dot += p[x] * m.itemFactors[i * k + x];
      }
      return clipRating(this.range, m.mean + bu + m.itemBias[i] + dot);
    });
  }
}
