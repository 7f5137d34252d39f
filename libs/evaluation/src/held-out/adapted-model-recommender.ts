import { firstRows } from '@metarec/datasets';
import { loadParams, type AdaptOptions, type LoadedParams, type MetaModel } from '@metarec/meta-learning';
import type { UserTask } from '@metarec/schemas';

import { EvalConfigError } from '../errors.js';
import type { FitReport, Recommender, SupportSet } from '../recommender/recommender.js';
import { adaptAndPredict } from './adapted-query-predictions.js';
import { itemFeatureRows, rowsForItems, type ItemFeatureRows } from './item-feature-rows.js';

/** Options of {@link AdaptedModelRecommender}. */
export interface AdaptedModelOptions {
  readonly model: MetaModel;
  /** The trained (meta-learned) flat parameters; copied, not kept. */
  readonly params: Float32Array;
  /** The tasks behind the user indices (`UserTaskSplit.userTasks`): their encoded rows are the model's input. */
  readonly userTasks: readonly UserTask[];
  /** Item id of each item index (`UserTaskSplit.itemIds`): items a user did not rate are encoded from the rows they appear in. */
  readonly itemIds: readonly string[];
  /** The local update (steps, lr, shrinkage, ...) each user gets on its support set. */
  readonly update: Partial<AdaptOptions>;
  /** Results key. @defaultValue 'melu' */
  readonly name?: string;
}

/**
 * An already trained meta-learned model as a protocol {@link Recommender}: `fit` does nothing,
 * `predict(u, support, items)` adapts on the first `support.items.length` support rows of user
 * `u`'s task and predicts `items`: the task's own query rows where `items` starts with its query
 * items, other items (sampled negatives) encoded with the user's features and the item's features
 * from the rows of `userTasks` ({@link rowsForItems}).
 * @throws EvalConfigError `EVAL_DATA_INVALID` for an unknown user, a support larger than the task's, or an item outside `itemIds`.
 */
export class AdaptedModelRecommender implements Recommender {
  readonly name: string;
  readonly predictsRatings = true;
  private readonly base: LoadedParams;
  private readonly userTasks: readonly UserTask[];
  private readonly update: Partial<AdaptOptions>;
  private readonly items: ItemFeatureRows;

  constructor(options: AdaptedModelOptions) {
    this.name = options.name ?? 'melu';
    this.userTasks = options.userTasks;
    this.update = options.update;
    this.items = itemFeatureRows(options.userTasks, options.itemIds);
    this.base = loadParams(options.model, options.params);
  }

  fit(): FitReport {
    return {};
  }

  predict(user: number, support: SupportSet, items: Int32Array): Float32Array {
    const task = this.userTasks[user];
    if (task === undefined || support.items.length > task.support.count) {
      throw new EvalConfigError('EVAL_DATA_INVALID', `AdaptedModelRecommender has no task for user ${user} with ${support.items.length} support ratings`);
    }
    return adaptAndPredict(this.base, firstRows(task.support, support.items.length), rowsForItems(task, this.items, items), this.update);
  }

  dispose(): void {
    this.base.dispose();
  }
}
