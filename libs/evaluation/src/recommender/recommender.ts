import type { TrainingSet } from '../protocol/eval-task.js';

/** What a method is told about a user at prediction time: the items and ratings of the support set. */
export interface SupportSet {
  readonly items: Int32Array;
  readonly ratings: Float32Array;
}

/** Passed to {@link Recommender.fit}: the run's seed and an optional progress sink (fraction in [0, 1]). */
export interface FitContext {
  readonly seed: number;
  readonly onProgress?: (fraction: number, note?: string) => void;
}

/** What `fit` reports for the training-health guard. */
export interface FitReport {
  /** Training loss per epoch (or per logged step), if the method is trained by a loss. */
  readonly losses?: readonly number[];
  /** Hyper-parameters chosen on training users (tuning), for the report. */
  readonly chosen?: Readonly<Record<string, number | string>>;
}

/**
 * One evaluated method. Baselines and meta-learners implement the same two calls, so the
 * runner treats them alike: `fit` sees the training set only; `predict` sees one user's
 * support set (never the query ratings) and scores arbitrary items.
 */
export interface Recommender {
  /** Short stable name used as the results key, e.g. `mf`, `maml`. */
  readonly name: string;
  /** False for ranking-only scorers (popularity): the runner then reports no MAE/RMSE/nDCG@3 for it. */
  readonly predictsRatings: boolean;
  fit(train: TrainingSet, context: FitContext): Promise<FitReport> | FitReport;
  /** Scores for `items` (predicted ratings if `predictsRatings`), after adapting to `support`. */
  predict(user: number, support: SupportSet, items: Int32Array): Promise<Float32Array> | Float32Array;
  /**
   * Scores that order a list for this user (higher first), when they differ from the predicted
   * ratings: a model trained for ranking orders by what the user will choose and like, not by the
   * rating of an item they might never pick. Absent: lists are ordered by `predict`.
   */
  rank?(user: number, support: SupportSet, items: Int32Array): Promise<Float32Array> | Float32Array;
  /** Frees tensors or other resources; called once the method is done. */
  dispose?(): void;
}

/** Creates a fresh, unfitted recommender per seed. */
export interface RecommenderFactory {
  readonly name: string;
  /** Meta-learners are compared against the best baseline in the results. @defaultValue 'baseline' */
  readonly kind?: 'baseline' | 'meta-learner';
  create(seed: number): Recommender;
}
