import { EvalConfigError } from '../errors.js';
import type { TrainingSet } from '../protocol/eval-task.js';
import type { FitReport, Recommender, SupportSet } from '../recommender/recommender.js';
import { DampedBiasRecommender } from './damped-bias.js';

/** Options of {@link ItemKnnRecommender}. */
export interface ItemKnnOptions {
  /** Most similar rated items a prediction draws on. @defaultValue 40 */
  readonly neighbours?: number;
  /** Similarities are shrunk by n/(n + shrinkage), n the users who rated both items. @defaultValue 100 */
  readonly shrinkage?: number;
  /** Added to the similarity mass of a prediction, so a few weak neighbours move it little. @defaultValue 1 */
  readonly evidenceDamping?: number;
  /** Items with the most training ratings that get neighbours (the similarity table is their square). @defaultValue 4000 */
  readonly maxItems?: number;
}

/** Defaults of {@link ItemKnnOptions}. */
export const DEFAULT_ITEM_KNN_OPTIONS: Required<ItemKnnOptions> = { neighbours: 40, shrinkage: 100, evidenceDamping: 1, maxItems: 4000 };

/**
 * The classic item-based neighbourhood model on baseline residuals (Sarwar et al. 2001's adjusted
 * cosine, Koren 2008's shrunk similarities over μ + b_i + b_u): an item's rating is the damped bias
 * prediction plus the similarity-weighted residuals of the user's most similar rated items. A
 * newcomer's few ratings say which items they liked beyond what the item's mean says; the bias model
 * alone cannot use that, so this is the rating component that reads the user's items one by one.
 * Similarities come from the training users only; the user's own ratings enter at prediction.
 */
export class ItemKnnRecommender implements Recommender {
  readonly name = 'item_knn';
  readonly predictsRatings = true;
  private readonly o: Required<ItemKnnOptions>;
  private readonly bias = new DampedBiasRecommender();
  private slot = new Int32Array(0);
  private size = 0;
  /** `size²` shrunk adjusted-cosine similarities, by slot. */
  private sim = new Float32Array(0);

  constructor(options: ItemKnnOptions = {}) {
    this.o = { ...DEFAULT_ITEM_KNN_OPTIONS, ...options };
    if (!(Number.isInteger(this.o.neighbours) && this.o.neighbours >= 1) || !(this.o.shrinkage >= 0) || !(this.o.evidenceDamping >= 0)) {
      throw new EvalConfigError('EVAL_CONFIG_INVALID', `item_knn: neighbours must be a positive integer and shrinkage, evidenceDamping >= 0`);
    }
  }

  fit(train: TrainingSet): FitReport {
    this.bias.fit(train);
    const counts = new Float64Array(train.itemCount);
    for (const i of train.items) {
      counts[i]++;
    }
    const ranked = Array.from({ length: train.itemCount }, (_, i) => i)
      .filter((i) => counts[i] > 0)
      .sort((a, b) => counts[b] - counts[a] || a - b)
      .slice(0, this.o.maxItems);
    this.slot = new Int32Array(train.itemCount).fill(-1);
    ranked.forEach((item, k) => (this.slot[item] = k));
    const n = ranked.length;
    this.size = n;
    // Each training user's residuals under the bias model fitted on everyone's ratings.
    const byUser = new Map<number, Array<[number, number]>>();
    for (let r = 0; r < train.users.length; r++) {
      let list = byUser.get(train.users[r]);
      if (list === undefined) {
        list = [];
        byUser.set(train.users[r], list);
      }
      list.push([train.items[r], train.ratings[r]]);
    }
    const dot = new Float32Array(n * n);
    const common = new Uint16Array(n * n);
    const norm = new Float64Array(n);
    for (const list of byUser.values()) {
      const items = Int32Array.from(list, ([i]) => i);
      const base = this.bias.predict(0, { items, ratings: Float32Array.from(list, ([, r]) => r) }, items);
      const slots: number[] = [];
      const residuals: number[] = [];
      list.forEach(([item, rating], k) => {
        const s = this.slot[item];
        if (s >= 0) {
          slots.push(s);
          residuals.push(rating - base[k]);
        }
      });
      for (let a = 0; a < slots.length; a++) {
        const ea = residuals[a];
        norm[slots[a]] += ea * ea;
        const row = slots[a] * n;
        for (let b = 0; b < slots.length; b++) {
          if (a !== b) {
            dot[row + slots[b]] += ea * residuals[b];
            if (common[row + slots[b]] < 65535) {
              common[row + slots[b]]++;
            }
          }
        }
      }
    }
    this.sim = dot;
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        const k = a * n + b;
        const denom = Math.sqrt(norm[a] * norm[b]);
        this.sim[k] = denom > 0 ? ((dot[k] / denom) * common[k]) / (common[k] + this.o.shrinkage) : 0;
      }
    }
    return {};
  }

  predict(user: number, support: SupportSet, items: Int32Array): Float32Array {
    const base = this.bias.predict(user, support, items);
    const supportBase = this.bias.predict(user, support, support.items);
    const slots: number[] = [];
    const residuals: number[] = [];
    for (let k = 0; k < support.items.length; k++) {
      const s = support.items[k] < this.slot.length ? this.slot[support.items[k]] : -1;
      if (s >= 0) {
        slots.push(s);
        residuals.push(support.ratings[k] - supportBase[k]);
      }
    }
    const out = new Float32Array(items.length);
    const weights = new Float64Array(slots.length);
    for (let j = 0; j < items.length; j++) {
      const target = items[j] < this.slot.length ? this.slot[items[j]] : -1;
      out[j] = base[j];
      if (target < 0 || slots.length === 0) {
        continue;
      }
      for (let k = 0; k < slots.length; k++) {
        weights[k] = this.sim[slots[k] * this.size + target];
      }
      // The `neighbours` most similar of the user's items (positive similarity only).
      const order = Array.from(weights.keys()).filter((k) => weights[k] > 0).sort((a, b) => weights[b] - weights[a]).slice(0, this.o.neighbours);
      let num = 0;
      let mass = 0;
      for (const k of order) {
        num += weights[k] * residuals[k];
        mass += weights[k];
      }
      out[j] = base[j] + num / (mass + this.o.evidenceDamping);
    }
    return out;
  }
}
