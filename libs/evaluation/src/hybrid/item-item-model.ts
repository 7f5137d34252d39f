import { EvalConfigError } from '../errors.js';
import { invertSpd } from './spd-inverse.js';

/**
 * A linear item-to-item model (EASE, Steck 2019): a user's score for item j is Σ_{i ∈ support} B[i][j],
 * where B minimises ‖X − X·B‖² + λ‖B‖² with diag(B) = 0 over the training users' binary
 * interaction matrix X. The closed form is B = I − P·diag(1/diag(P)) with P = (XᵀX + λI)⁻¹; it
 * "completes" a user's set from the items they chose, which is what a newcomer's list needs.
 * Only the `maxItems` most-interacted items form the vocabulary (the inverse is O(n³)); others score 0.
 */
export interface ItemItemModel {
  /** Compact index of each item, −1 outside the vocabulary. */
  readonly slot: Int32Array;
  readonly size: number;
  /** `size × size`, row = support item, column = scored item. */
  readonly weights: Float32Array;
}

/** Settings of {@link fitItemItem}. */
export interface ItemItemOptions {
  /** Ridge λ on B. */
  readonly l2: number;
  /** Vocabulary cap (most interacted items). @defaultValue 4000 */
  readonly maxItems?: number;
}

/** Fits B on the (user, item) rows; duplicate rows count once. Throws `EvalConfigError` on a non-positive λ. */
export function fitItemItem(users: Int32Array, items: Int32Array, itemCount: number, options: ItemItemOptions): ItemItemModel {
  if (!(options.l2 > 0)) {
    throw new EvalConfigError('EVAL_CONFIG_INVALID', `item-item l2 must be > 0, got ${options.l2}`);
  }
  const counts = new Float64Array(itemCount);
  for (const i of items) {
    counts[i]++;
  }
  const ranked = Array.from({ length: itemCount }, (_, i) => i)
    .filter((i) => counts[i] > 0)
    .sort((a, b) => counts[b] - counts[a] || a - b)
    .slice(0, options.maxItems ?? 4000);
  const slot = new Int32Array(itemCount).fill(-1);
  ranked.forEach((item, k) => (slot[item] = k));
  const n = ranked.length;
  const byUser = new Map<number, Set<number>>();
  for (let r = 0; r < users.length; r++) {
    const s = slot[items[r]];
    if (s >= 0) {
      let set = byUser.get(users[r]);
      if (!set) {
        set = new Set();
        byUser.set(users[r], set);
      }
      set.add(s);
    }
  }
  const gram = new Float64Array(n * n);
  for (const set of byUser.values()) {
    const list = [...set];
    for (const a of list) {
      for (const b of list) {
        gram[a * n + b]++;
      }
    }
  }
  for (let k = 0; k < n; k++) {
    gram[k * n + k] += options.l2;
  }
  const p = invertSpd(gram, n);
  const weights = new Float32Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      weights[a * n + b] = a === b ? 0 : -p[a * n + b] / p[b * n + b];
    }
  }
  return { slot, size: n, weights };
}

/** Σ over support items of B[support][item], per item (0 outside the vocabulary). */
export function itemItemScores(model: ItemItemModel, support: ArrayLike<number>, items: ArrayLike<number>): Float64Array {
  const out = new Float64Array(items.length);
  const n = model.size;
  for (let s = 0; s < support.length; s++) {
    const a = model.slot[support[s]];
    if (a < 0) {
      continue;
    }
    const row = a * n;
    for (let k = 0; k < items.length; k++) {
      const b = model.slot[items[k]];
      if (b >= 0) {
        out[k] += model.weights[row + b];
      }
    }
  }
  return out;
}
