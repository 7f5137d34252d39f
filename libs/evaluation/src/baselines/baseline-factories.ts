import type { RecommenderFactory } from '../recommender/recommender.js';
import { TunedRecommender } from '../recommender/tuned-recommender.js';
import { DampedBiasRecommender } from './damped-bias.js';
import { GlobalMeanRecommender } from './global-mean.js';
import { ItemKnnRecommender } from './item-knn.js';
import { ItemMeanRecommender, PopularityRecommender } from './item-mean.js';
import { MatrixFactorizationRecommender } from './matrix-factorization.js';
import { UserMeanRecommender } from './user-mean.js';

/** Names of the non-neural baselines `metarec-eval` runs by default. */
export const BASELINE_NAMES = ['global_mean', 'item_mean', 'popularity', 'bias', 'mf'] as const;

/**
 * Every non-neural baseline: the defaults plus the held-out bars of a training run (`user_mean`)
 * and of the pipeline's check (`damped_bias`), selectable by name in `metarec-eval`.
 */
export const ALL_BASELINE_NAMES = [...BASELINE_NAMES, 'user_mean', 'damped_bias', 'item_knn'] as const;

/** A non-neural baseline name. */
export type BaselineName = (typeof ALL_BASELINE_NAMES)[number];

/** Penalty grids searched on training users (inner validation); chosen per seed and reported. */
const BIAS_PENALTIES = [1, 3, 10, 30];
const MF_GRID: ReadonlyArray<{ factors: number; penalty: number }> = [
  { factors: 8, penalty: 3 },
  { factors: 8, penalty: 10 },
  { factors: 16, penalty: 10 },
  { factors: 16, penalty: 30 },
  { factors: 32, penalty: 30 },
];

/**
 * A factory for a baseline. `bias` and `mf` tune their penalties (and MF its dimension) on an
 * inner split of the training users, then refit on all training data — never on evaluation data.
 */
export function baselineFactory(name: BaselineName): RecommenderFactory {
  switch (name) {
    case 'global_mean':
      return { name, create: () => new GlobalMeanRecommender() };
    case 'item_mean':
      return { name, create: () => new ItemMeanRecommender() };
    case 'user_mean':
      return { name, create: () => new UserMeanRecommender() };
    case 'damped_bias':
      return { name, create: () => new DampedBiasRecommender() };
    case 'popularity':
      return { name, create: () => new PopularityRecommender() };
    case 'item_knn':
      return { name, create: () => new ItemKnnRecommender() };
    case 'bias':
      return {
        name,
        create: () =>
          new TunedRecommender(
            name,
            BIAS_PENALTIES.map((p) => ({ params: { biasPenalty: p }, create: () => new MatrixFactorizationRecommender({ factors: 0, biasPenalty: p, factorPenalty: 1 }) })),
          ),
      };
    case 'mf':
      return {
        name,
        create: (seed) =>
          new TunedRecommender(
            name,
            MF_GRID.map((g) => ({
              params: { factors: g.factors, penalty: g.penalty },
              create: () => new MatrixFactorizationRecommender({ factors: g.factors, factorPenalty: g.penalty, biasPenalty: g.penalty, seed }),
            })),
          ),
      };
  }
}
