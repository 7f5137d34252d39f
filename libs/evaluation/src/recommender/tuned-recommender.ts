import { EvalConfigError } from '../errors.js';
import type { EvalTask, TrainingSet } from '../protocol/eval-task.js';
import { trainingSetFromTasks } from '../protocol/eval-task.js';
import { SeededRng } from '@metarec/runtime';
import { meanAbsoluteError } from '../metrics/rating-error.js';
import type { FitContext, FitReport, Recommender, SupportSet } from './recommender.js';

/** One hyper-parameter setting to try. */
export interface TuningCandidate {
  readonly params: Readonly<Record<string, number | string>>;
  readonly create: () => Recommender;
}

/**
 * Splits every training task's support set into an inner support and an inner query of
 * min(`holdout`, ⌊n/2⌋) random ratings — the reference's re-split — so hyper-parameters are
 * chosen on training users only; no evaluation rating plays a part.
 */
export function innerValidationSplit(train: TrainingSet, seed: number, holdout = 10): { inner: TrainingSet; validation: EvalTask[] } {
  const rng = new SeededRng(seed ^ 0x5bd1e995);
  const innerTasks: EvalTask[] = [];
  for (const t of train.tasks) {
    const n = t.supportItems.length;
    const nq = Math.min(holdout, Math.floor(n / 2));
    const p = rng.permutation(n);
    const take = (from: number, to: number): { items: Int32Array; ratings: Float32Array } => ({
      items: Int32Array.from(p.subarray(from, to), (j) => t.supportItems[j]),
      ratings: Float32Array.from(p.subarray(from, to), (j) => t.supportRatings[j]),
    });
    const q = take(0, nq);
    const s = take(nq, n);
    innerTasks.push({ ...t, supportItems: s.items, supportRatings: s.ratings, queryItems: q.items, queryRatings: q.ratings, negatives: new Int32Array(0) });
  }
  return { inner: trainingSetFromTasks(innerTasks, train.userCount, train.itemCount), validation: innerTasks.filter((t) => t.queryItems.length > 0) };
}

/** Validation MAE of a fitted recommender on inner tasks. */
export async function validationMae(rec: Recommender, tasks: readonly EvalTask[]): Promise<number> {
  const preds: number[] = [];
  const truth: number[] = [];
  for (const t of tasks) {
    const p = await rec.predict(t.user, { items: t.supportItems, ratings: t.supportRatings }, t.queryItems);
    preds.push(...p);
    truth.push(...t.queryRatings);
  }
  return meanAbsoluteError(preds, truth);
}

/**
 * Grid search on training users: fits each candidate on the inner split, keeps the one with the
 * lowest inner-validation MAE, refits it on the full training set. Reports the chosen params.
 */
export class TunedRecommender implements Recommender {
  readonly predictsRatings = true;
  private best: Recommender | undefined;

  constructor(
    readonly name: string,
    private readonly candidates: readonly TuningCandidate[],
  ) {
    if (candidates.length === 0) {
      throw new EvalConfigError('EVAL_CONFIG_INVALID', `TunedRecommender ${name}: no candidates`);
    }
  }

  async fit(train: TrainingSet, context: FitContext): Promise<FitReport> {
    const { inner, validation } = innerValidationSplit(train, context.seed);
    let bestMae = Number.POSITIVE_INFINITY;
    let bestAt = 0;
    for (const [at, c] of this.candidates.entries()) {
      const rec = c.create();
      await rec.fit(inner, context);
      const mae = await validationMae(rec, validation);
      rec.dispose?.();
      if (mae < bestMae) {
        bestMae = mae;
        bestAt = at;
      }
      context.onProgress?.((at + 1) / (this.candidates.length + 1), `${this.name} tuning`);
    }
    this.best = this.candidates[bestAt].create();
    const report = await this.best.fit(train, context);
    return { ...report, chosen: { ...this.candidates[bestAt].params, innerValidationMae: Number(bestMae.toFixed(4)) } };
  }

  predict(user: number, support: SupportSet, items: Int32Array): Promise<Float32Array> | Float32Array {
    if (!this.best) {
      throw new EvalConfigError('EVAL_CONFIG_INVALID', `${this.name}: predict called before fit`);
    }
    return this.best.predict(user, support, items);
  }

  dispose(): void {
    this.best?.dispose?.();
  }
}
