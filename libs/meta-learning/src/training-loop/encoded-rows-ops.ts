import type { EncodedRows, FeatureLayout } from '@metarec/schemas';

/** Rows `indices` of `rows`, copied in that order. */
export function selectRows(rows: EncodedRows, indices: ArrayLike<number>, layout: FeatureLayout): EncodedRows {
  const U = layout.userFields.length;
  const I = layout.itemFields.length;
  const C = layout.categoryCount;
  const N = layout.numericCount;
  const n = indices.length;
  const out = {
    count: n,
    userIndices: new Int32Array(n * U),
    itemIndices: new Int32Array(n * I),
    itemCategories: new Float32Array(n * C),
    itemNumeric: new Float32Array(n * N),
    labels: new Float32Array(n),
    itemIds: new Array<string>(n),
  };
  for (let k = 0; k < n; k++) {
    const r = indices[k];
    out.userIndices.set(rows.userIndices.subarray(r * U, r * U + U), k * U);
    out.itemIndices.set(rows.itemIndices.subarray(r * I, r * I + I), k * I);
    out.itemCategories.set(rows.itemCategories.subarray(r * C, r * C + C), k * C);
    out.itemNumeric.set(rows.itemNumeric.subarray(r * N, r * N + N), k * N);
    out.labels[k] = rows.labels[r];
    out.itemIds[k] = rows.itemIds[r];
  }
  return out;
}

/** All rows of `parts`, in order, as one batch. */
export function concatRows(parts: readonly EncodedRows[]): EncodedRows {
  const count = parts.reduce((s, p) => s + p.count, 0);
  const cat = <T extends Int32Array | Float32Array>(make: (n: number) => T, pick: (p: EncodedRows) => T): T => {
    const out = make(parts.reduce((s, p) => s + pick(p).length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(pick(p), o);
      o += pick(p).length;
    }
    return out;
  };
  return {
    count,
    userIndices: cat((n) => new Int32Array(n), (p) => p.userIndices),
    itemIndices: cat((n) => new Int32Array(n), (p) => p.itemIndices),
    itemCategories: cat((n) => new Float32Array(n), (p) => p.itemCategories),
    itemNumeric: cat((n) => new Float32Array(n), (p) => p.itemNumeric),
    labels: cat((n) => new Float32Array(n), (p) => p.labels),
    itemIds: parts.flatMap((p) => p.itemIds),
  };
}
