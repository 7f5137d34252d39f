import { DatasetError } from '../errors.js';
import { mergeOptions } from '@metarec/runtime';

/** Options of `generateSynthetic`. Every field has a default; sizes are counts, times epoch ms. */
export interface SyntheticOptions {
  /** PRNG seed: the same options give byte-identical output. @defaultValue 0 */
  readonly seed?: number;
  /** Number of users. @defaultValue 1000 */
  readonly users?: number;
  /** Number of items. @defaultValue 500 */
  readonly items?: number;
  /**
   * Interactions (explicit) or exposures (implicit) per user, log-uniform between min and max
   * (a long tail like MovieLens), capped at the item count. @defaultValue { min: 20, max: 200 }
   */
  readonly interactionsPerUser?: { readonly min: number; readonly max: number };
  /** Start of the simulated period, epoch ms UTC. @defaultValue 2026-01-01T00:00:00Z */
  readonly startMs?: number;
  /** Length of the simulated period in days. @defaultValue 90 */
  readonly days?: number;
  /** Share of users who arrive in the last {@link SyntheticOptions.lateShare} of the period. @defaultValue 0.2 */
  readonly newUserFraction?: number;
  /** Share of items released in the last `lateShare` of the period. @defaultValue 0.1 */
  readonly newItemFraction?: number;
  /** Final share of the period in which new users and items appear. @defaultValue 0.2 */
  readonly lateShare?: number;
  /** Standard deviation of the rating noise, in stars. @defaultValue 0.6 */
  readonly noise?: number;
  /** Dimension of the hidden taste vectors. @defaultValue 8 */
  readonly latentDim?: number;
  /**
   * Share of the taste variance explained by profiles (user demographics; item categories and
   * release era), so cold-start from profiles is learnable but not trivial. @defaultValue 0.5
   */
  readonly profileShare?: number;
  /** Zipf exponent of item popularity (0 = uniform, 1 = classic Zipf). @defaultValue 1 */
  readonly popularityExponent?: number;
  /** Rating intercept before biases and taste; popular items rate higher, so the mean rating lands near 3.5 (ML-100K: 3.53). @defaultValue 3.25 */
  readonly globalMean?: number;
  /**
   * `explicit`: one `rating` per interaction; `implicit`: each exposure is a `view`, some become a
   * `click`, some clicks a `purchase` (probabilities rise with the hidden score). @defaultValue 'explicit'
   */
  readonly feedback?: 'explicit' | 'implicit';
  /** `time`: interactions sorted by timestamp (a replayable stream); `user`: grouped by user. @defaultValue 'time' */
  readonly order?: 'time' | 'user';
}

/** Defaults of {@link SyntheticOptions}. */
export const DEFAULT_SYNTHETIC_OPTIONS: Required<SyntheticOptions> = {
  seed: 0,
  users: 1000,
  items: 500,
  interactionsPerUser: { min: 20, max: 200 },
  startMs: Date.UTC(2026, 0, 1),
  days: 90,
  newUserFraction: 0.2,
  newItemFraction: 0.1,
  lateShare: 0.2,
  noise: 0.6,
  latentDim: 8,
  profileShare: 0.5,
  popularityExponent: 1,
  globalMean: 3.25,
  feedback: 'explicit',
  order: 'time',
};

/**
 * Merges defaults and checks every value.
 * @throws DatasetError `DS_INVALID_OPTION` naming the first invalid option.
 */
export function resolveSyntheticOptions(options: SyntheticOptions): Required<SyntheticOptions> {
  const o = mergeOptions(DEFAULT_SYNTHETIC_OPTIONS, options);
  const checks: Array<[string, boolean]> = [
    ['seed must be an integer', Number.isInteger(o.seed)],
    ['users must be a positive integer', Number.isInteger(o.users) && o.users > 0],
    ['items must be a positive integer', Number.isInteger(o.items) && o.items > 0],
    [
      'interactionsPerUser needs integers 1 <= min <= max',
      Number.isInteger(o.interactionsPerUser.min) && Number.isInteger(o.interactionsPerUser.max) && o.interactionsPerUser.min >= 1 && o.interactionsPerUser.min <= o.interactionsPerUser.max,
    ],
    ['startMs must be a finite epoch-ms time', Number.isFinite(o.startMs)],
    ['days must be positive', o.days > 0],
    ['newUserFraction must be in [0, 1]', o.newUserFraction >= 0 && o.newUserFraction <= 1],
    ['newItemFraction must be in [0, 1)', o.newItemFraction >= 0 && o.newItemFraction < 1],
    ['lateShare must be in (0, 1)', o.lateShare > 0 && o.lateShare < 1],
    ['noise must be >= 0', o.noise >= 0],
    ['latentDim must be a positive integer', Number.isInteger(o.latentDim) && o.latentDim > 0],
    ['profileShare must be in [0, 1]', o.profileShare >= 0 && o.profileShare <= 1],
    ['popularityExponent must be >= 0', o.popularityExponent >= 0],
    ['globalMean must be within 1..5', o.globalMean >= 1 && o.globalMean <= 5],
    ['feedback must be "explicit" or "implicit"', o.feedback === 'explicit' || o.feedback === 'implicit'],
    ['order must be "time" or "user"', o.order === 'time' || o.order === 'user'],
  ];
  for (const [message, ok] of checks) {
    if (!ok) {
      throw new DatasetError('DS_INVALID_OPTION', `generateSynthetic: ${message}`);
    }
  }
  return o;
}
