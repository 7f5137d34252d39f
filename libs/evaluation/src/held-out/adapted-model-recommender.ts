import { firstRows } from '@metarec/datasets';
import { loadParams, type AdaptOptions, type LoadedParams, type MetaModel } from '@metarec/meta-learning';
import type { UserTask } from '@metarec/schemas';

import { EvalConfigError } from '../errors.js';
import type { FitReport, Recommender, SupportSet } from '../recommender/recommender.js';
import { adaptAndPredict } from './adapted-query-predictions.js';

/** Options of {@link AdaptedModelRecommender}. */
export interface AdaptedModelOptions {
  readonly model: MetaModel;
  /** The trained (meta-learned) flat parameters; copied, not kept. */
  readonly params: Float32Array;
  /** The tasks behind the user indices (`UserTaskSplit.userTasks`): their encoded rows are the model's input. */
  readonly userTasks: readonly UserTask[];
  /** The local update (steps, lr, shrinkage, ...) each user gets on its support set. */
  readonly update: Partial<AdaptOptions>;
  /** Results key. @defaultValue 'melu' */
  readonly name?: string;
}

/**
 * An already trained meta-learned model as a protocol {@link Recommender}: `fit` does nothing,
 * `predict(u, support, items)` adapts on the first `support.items.length` support rows of user
 * `u`'s task and predicts its query rows. Scores only the task's own query items (what the
 * held-out protocol asks), so it needs no item features beyond the encoded task.
 * @throws EvalConfigError `EVAL_DATA_INVALID` when `items` are not the user's query items.
 */
export class AdaptedModelRecommender implements Recommender {
  readonly name: string;
  readonly predictsRatings = true;
  private readonly base: LoadedParams;
  private readonly userTasks: readonly UserTask[];
  private readonly update: Partial<AdaptOptions>;

  constructor(options: AdaptedModelOptions) {
    this.name = options.name ?? 'melu';
    this.userTasks = options.userTasks;
    this.update = options.update;
    this.base = loadParams(options.model, options.params);
  }

  fit(): FitReport {
    return {};
  }

  predict(user: number, support: SupportSet, items: Int32Array): Float32Array {
    const task = this.userTasks[user];
    if (task === undefined || items.length !== task.query.count || support.items.length > task.support.count) {
      throw new EvalConfigError('EVAL_DATA_INVALID', `AdaptedModelRecommender scores user ${user}'s own query items only (got ${items.length} items, support ${support.items.length})`);
    }
    return adaptAndPredict(this.base, firstRows(task.support, support.items.length), task.query, this.update);
  }

  dispose(): void {
    this.base.dispose();
  }
}
