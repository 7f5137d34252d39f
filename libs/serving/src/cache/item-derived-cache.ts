import type { ItemRows } from '@metarec/meta-learning';
import type { ItemProfile } from '@metarec/schemas';

import type { ServingModel } from '../model/serving-model.js';

/** Row storage grows by this factor when full (amortised O(1) appends). */
const GROWTH = 2;
/** Rows stored before the first growth. */
const INITIAL_ROWS = 1024;

/**
 * Computes one number per item from its encoded rows (`rows.count` items), e.g. onboarding's
 * discrimination. Pass a function made once, not per call: the request path allocates no closures.
 */
export type ItemDerivation = (model: ServingModel, rows: ItemRows) => Float64Array;

/**
 * Everything the request path derives from an item alone, held in process per model and item
 * catalog epoch: its encoded feature row (the model's `score` input, for recommendations and
 * onboarding alike) and, once asked for, its discrimination (onboarding). Both depend on the
 * model and on the profile only, so one store with one bound and one reset rule holds them: a new
 * model or a catalog change (epoch) starts over, and so does going past `maxRows` (bounds memory:
 * MeLU's layout is ~30 numbers a row, plus 8 B for the discrimination). An item is encoded once
 * per model and epoch, whichever path asks first.
 */
export class ItemDerivedCache {
  private owner: { model: ServingModel; epoch: number } | null = null;
  private readonly rowOf = new Map<string, number>();
  private fields = new Int32Array(0);
  private categories = new Float32Array(0);
  private numeric = new Float32Array(0);
  /** Per row, the item's discrimination; NaN until first derived. */
  private discriminations = new Float64Array(0);
  private widths = { fields: 0, categories: 0, numeric: 0 };
  private capacity = 0;
  /** Output buffers, reused across calls (grow-only). */
  private out = { rows: 0, fields: new Int32Array(0), categories: new Float32Array(0), numeric: new Float32Array(0) };

  /** @param maxRows items kept before starting over. */
  constructor(private readonly maxRows: number) {}

  /** Items held for the current model and epoch. */
  get size(): number {
    return this.rowOf.size;
  }

  /**
   * Rows of `ids` (profiles in the same order; null = unknown content) for `model`, encoding only
   * items not held for this model and `epoch`. The returned arrays are views of buffers reused by
   * the next call: use them at once (`score` copies them into tensors and keeps nothing).
   */
  rows(model: ServingModel, epoch: number, ids: readonly string[], profiles: readonly (ItemProfile | null)[]): ItemRows {
    this.hold(model, epoch, ids, profiles);
    const n = ids.length;
    this.ensureOutput(n);
    for (let i = 0; i < n; i++) {
      this.copyRow(this.rowOf.get(ids[i]) as number, i);
    }
    return this.view(n);
  }

  /**
   * Discrimination of each of `ids` for `model` and `epoch`: held values as they are, the others
   * computed by `derive` in one batch over their (held or newly encoded) rows and kept with them.
   */
  discrimination(model: ServingModel, epoch: number, ids: readonly string[], profiles: readonly (ItemProfile | null)[], derive: ItemDerivation): Float64Array {
    this.hold(model, epoch, ids, profiles);
    const missing: number[] = [];
    for (const id of ids) {
      const row = this.rowOf.get(id) as number;
      if (Number.isNaN(this.discriminations[row]) && !missing.includes(row)) {
        missing.push(row);
      }
    }
    if (missing.length > 0) {
      this.ensureOutput(missing.length);
      missing.forEach((row, k) => this.copyRow(row, k));
      const fresh = derive(model, this.view(missing.length));
      missing.forEach((row, k) => (this.discriminations[row] = fresh[k]));
    }
    const out = new Float64Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      out[i] = this.discriminations[this.rowOf.get(ids[i]) as number];
    }
    return out;
  }

  /** Makes every one of `ids` held for `model` and `epoch`, starting over first if that is another owner or would pass the bound. */
  private hold(model: ServingModel, epoch: number, ids: readonly string[], profiles: readonly (ItemProfile | null)[]): void {
    if (this.owner?.model !== model || this.owner.epoch !== epoch || this.rowOf.size + ids.length > this.maxRows) {
      this.reset(model, epoch);
    }
    this.encodeMissing(model, ids, profiles);
  }

  /** Copies held `row` into output row `at`. Plain index loops: a subarray view per item and field group cost ~140 KB of garbage per request. */
  private copyRow(row: number, at: number): void {
    const { fields: F, categories: C, numeric: N } = this.widths;
    const { fields, categories, numeric } = this.out;
    for (let f = 0; f < F; f++) {
      fields[at * F + f] = this.fields[row * F + f];
    }
    for (let c = 0; c < C; c++) {
      categories[at * C + c] = this.categories[row * C + c];
    }
    for (let x = 0; x < N; x++) {
      numeric[at * N + x] = this.numeric[row * N + x];
    }
  }

  private view(n: number): ItemRows {
    const { fields: F, categories: C, numeric: N } = this.widths;
    const { fields, categories, numeric } = this.out;
    return { count: n, itemIndices: fields.subarray(0, n * F), itemCategories: categories.subarray(0, n * C), itemNumeric: numeric.subarray(0, n * N) };
  }

  private ensureOutput(rows: number): void {
    const { fields: F, categories: C, numeric: N } = this.widths;
    if (this.out.rows >= rows && this.out.fields.length >= rows * F && this.out.categories.length >= rows * C && this.out.numeric.length >= rows * N) {
      return;
    }
    this.out = { rows, fields: new Int32Array(rows * F), categories: new Float32Array(rows * C), numeric: new Float32Array(rows * N) };
  }

  private reset(model: ServingModel, epoch: number): void {
    this.owner = { model, epoch };
    this.rowOf.clear();
    const layout = model.encoder.layout();
    this.widths = { fields: layout.itemFields.length, categories: layout.categoryCount, numeric: layout.numericCount };
    this.capacity = INITIAL_ROWS;
    this.fields = new Int32Array(INITIAL_ROWS * this.widths.fields);
    this.categories = new Float32Array(INITIAL_ROWS * this.widths.categories);
    this.numeric = new Float32Array(INITIAL_ROWS * this.widths.numeric);
    this.discriminations = new Float64Array(INITIAL_ROWS).fill(Number.NaN);
  }

  private encodeMissing(model: ServingModel, ids: readonly string[], profiles: readonly (ItemProfile | null)[]): void {
    const missing: number[] = [];
    const queued = new Set<string>();
    for (let i = 0; i < ids.length; i++) {
      if (!this.rowOf.has(ids[i]) && !queued.has(ids[i])) {
        queued.add(ids[i]);
        missing.push(i);
      }
    }
    if (missing.length === 0) {
      return;
    }
    const table = model.encodeItems(missing.map((i) => profiles[i] ?? { item_id: ids[i] }));
    this.ensureCapacity(this.rowOf.size + missing.length);
    const { fields: F, categories: C, numeric: N } = this.widths;
    missing.forEach((i, k) => {
      const row = this.rowOf.size;
      this.fields.set(table.fields.subarray(k * F, k * F + F), row * F);
      this.categories.set(table.categories.subarray(k * C, k * C + C), row * C);
      this.numeric.set(table.numeric.subarray(k * N, k * N + N), row * N);
      this.rowOf.set(ids[i], row);
    });
  }

  private ensureCapacity(rows: number): void {
    if (rows <= this.capacity) {
      return;
    }
    const next = Math.max(rows, Math.ceil(this.capacity * GROWTH));
    const grow = <T extends Int32Array | Float32Array | Float64Array>(old: T, width: number, make: (n: number) => T): T => {
      const bigger = make(next * width);
      bigger.set(old);
      return bigger;
    };
    this.fields = grow(this.fields, this.widths.fields, (n) => new Int32Array(n));
    this.categories = grow(this.categories, this.widths.categories, (n) => new Float32Array(n));
    this.numeric = grow(this.numeric, this.widths.numeric, (n) => new Float32Array(n));
    this.discriminations = grow(this.discriminations, 1, (n) => new Float64Array(n).fill(Number.NaN));
    this.capacity = next;
  }
}
