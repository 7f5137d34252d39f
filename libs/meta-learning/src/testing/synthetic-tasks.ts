import type { EncodedRows, FeatureLayout, UserTask } from '@metarec/schemas';

import { SeededRng } from '@metarec/runtime';

/** Shape of a synthetic feature layout. */
export interface SyntheticLayoutOptions {
  /** @defaultValue 4 */
  readonly userFields: number;
  /** @defaultValue 4 */
  readonly itemFields: number;
  /** Cardinality of every categorical field. @defaultValue 1000 */
  readonly cardinality: number;
  /** @defaultValue 0 */
  readonly categoryCount: number;
  /** @defaultValue 0 */
  readonly numericCount: number;
}

/** MeLU benchmark size by default: 8 categorical fields (4 user, 4 item) × 1,000 ids. */
export function syntheticLayout(options: Partial<SyntheticLayoutOptions> = {}): FeatureLayout {
  const o = { userFields: 4, itemFields: 4, cardinality: 1000, categoryCount: 0, numericCount: 0, ...options };
  return {
    userFields: Array.from({ length: o.userFields }, (_, i) => ({ name: `u${i}`, cardinality: o.cardinality })),
    itemFields: Array.from({ length: o.itemFields }, (_, i) => ({ name: `i${i}`, cardinality: o.cardinality })),
    categoryCount: o.categoryCount,
    numericCount: o.numericCount,
  };
}

/**
 * How labels are made. `random-ratings`: integers 1–5 (benchmarks, as the PyTorch reference).
 * `planted`: each user has a hidden bias b and slope s, label = 3 + b + s·x₀ (+ small noise) where x₀
 * is the first numeric attribute (or a fixed per-item effect without numerics); user ids carry no
 * signal about b, s, so only adaptation on the support set can find them. `planted-binary`: 1 when
 * b + s·x₀ > 0.
 */
export type SyntheticLabels = 'random-ratings' | 'planted' | 'planted-binary';

/** Options of `createSyntheticTasks`. */
export interface SyntheticTaskOptions {
  readonly tasks: number;
  /** Support rows per task. */
  readonly support: number;
  /** Query rows per task. */
  readonly query: number;
  readonly seed: number;
  /** @defaultValue 'random-ratings' */
  readonly labels?: SyntheticLabels;
}

function rows(layout: FeatureLayout, rng: SeededRng, n: number, user: Int32Array, label: (x0: number, item0: number) => number): EncodedRows {
  const U = layout.userFields.length;
  const I = layout.itemFields.length;
  const C = layout.categoryCount;
  const N = layout.numericCount;
  const userIndices = new Int32Array(n * U);
  const itemIndices = new Int32Array(n * I);
  const itemCategories = new Float32Array(n * C);
  const itemNumeric = new Float32Array(n * N);
  const labels = new Float32Array(n);
  const itemIds: string[] = [];
  for (let r = 0; r < n; r++) {
    userIndices.set(user, r * U);
    layout.itemFields.forEach((f, k) => {
      itemIndices[r * I + k] = rng.int(f.cardinality);
    });
    for (let c = 0; c < C; c++) {
      itemCategories[r * C + c] = rng.next() < 0.3 ? 1 : 0;
    }
    for (let k = 0; k < N; k++) {
      itemNumeric[r * N + k] = rng.normal();
    }
    labels[r] = label(N > 0 ? itemNumeric[r * N] : 0, I > 0 ? itemIndices[r * I] : 0);
    itemIds.push(`item-${I > 0 ? itemIndices[r * I] : r}`);
  }
  return { count: n, userIndices, itemIndices, itemCategories, itemNumeric, labels, itemIds };
}

/**
 * Deterministic synthetic user tasks for tests and benchmarks (same seed → same bytes): encoded rows of any
 * layout, no records behind them. Production data comes from datasets' `generateSynthetic` world.
 */
export function createSyntheticTasks(layout: FeatureLayout, options: SyntheticTaskOptions): UserTask[] {
  const rng = new SeededRng(options.seed);
  const kind = options.labels ?? 'random-ratings';
  const out: UserTask[] = [];
  for (let t = 0; t < options.tasks; t++) {
    const user = Int32Array.from(layout.userFields, (f) => rng.int(f.cardinality));
    const b = rng.uniform(-1.5, 1.5);
    const s = rng.uniform(-1, 1);
    const label = (x0: number, item0: number): number => {
      const signal = b + s * (layout.numericCount > 0 ? x0 : ((item0 % 7) - 3) / 3);
      if (kind === 'random-ratings') {
        return 1 + rng.int(5);
      }
      return kind === 'planted' ? 3 + signal + 0.05 * rng.normal() : signal > 0 ? 1 : 0;
    };
    const support = rows(layout, rng, options.support, user, label);
    const query = rows(layout, rng, options.query, user, label);
    out.push({ userId: `user-${t}`, support, query });
  }
  return out;
}
