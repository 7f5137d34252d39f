import { solveSpdInPlace } from '../baselines/ridge-solve.js';

/** What the item side may carry: labels (genres…) and a release year. */
export interface ItemContentSource {
  readonly categories: readonly string[];
  readonly release_year: number | null;
}

/**
 * Items as unit-length content vectors (one dimension per category label and per release decade),
 * sparse: `offsets[i]..offsets[i+1]` index `dims`/`values`. An item with no content has no entries.
 */
export interface ItemContent {
  readonly dimensions: number;
  readonly offsets: Int32Array;
  readonly dims: Int32Array;
  readonly values: Float32Array;
}

/** Builds {@link ItemContent} for items in table order. */
export function itemContent(items: readonly ItemContentSource[]): ItemContent {
  const vocab = new Map<string, number>();
  const key = (k: string): number => {
    let d = vocab.get(k);
    if (d === undefined) {
      d = vocab.size;
      vocab.set(k, d);
    }
    return d;
  };
  const offsets = new Int32Array(items.length + 1);
  const dims: number[] = [];
  for (const [i, item] of items.entries()) {
    const own = new Set(item.categories.map((c) => key(`c:${c}`)));
    if (item.release_year !== null) {
      own.add(key(`d:${Math.floor(item.release_year / 10)}`));
    }
    dims.push(...own);
    offsets[i + 1] = dims.length;
  }
  const values = new Float32Array(dims.length);
  for (let i = 0; i < items.length; i++) {
    const n = offsets[i + 1] - offsets[i];
    values.fill(n === 0 ? 0 : 1 / Math.sqrt(n), offsets[i], offsets[i + 1]);
  }
  return { dimensions: vocab.size, offsets, dims: Int32Array.from(dims), values };
}

/** Mean cosine similarity of each item to the support items (0 without support or content). */
export function contentSimilarity(content: ItemContent, support: ArrayLike<number>, items: ArrayLike<number>): Float64Array {
  const profile = new Float64Array(content.dimensions);
  for (let s = 0; s < support.length; s++) {
    const i = support[s];
    for (let k = content.offsets[i]; k < content.offsets[i + 1]; k++) {
      profile[content.dims[k]] += content.values[k] / support.length;
    }
  }
  return Float64Array.from({ length: items.length }, (_, j) => dot(content, items[j], profile));
}

function dot(content: ItemContent, item: number, dense: Float64Array): number {
  let s = 0;
  for (let k = content.offsets[item]; k < content.offsets[item + 1]; k++) {
    s += content.values[k] * dense[content.dims[k]];
  }
  return s;
}

/**
 * A new item's expected popularity from its content: ridge regression of log(1 + raters) on the
 * content vectors of items that have training raters. Returns the weights (per content dimension,
 * then an intercept).
 */
export function fitContentPopularity(content: ItemContent, raters: Float64Array, l2 = 1): Float64Array {
  const d = content.dimensions + 1;
  const a = new Float64Array(d * d);
  const b = new Float64Array(d);
  for (let i = 0; i < raters.length; i++) {
    if (raters[i] === 0) {
      continue;
    }
    const y = Math.log1p(raters[i]);
    const idx = [...content.dims.subarray(content.offsets[i], content.offsets[i + 1]), d - 1];
    const val = [...content.values.subarray(content.offsets[i], content.offsets[i + 1]), 1];
    for (let x = 0; x < idx.length; x++) {
      b[idx[x]] += val[x] * y;
      for (let z = 0; z < idx.length; z++) {
        a[idx[x] * d + idx[z]] += val[x] * val[z];
      }
    }
  }
  for (let x = 0; x < d; x++) {
    a[x * d + x] += l2;
  }
  solveSpdInPlace(a, b, d);
  return b;
}

/** {@link fitContentPopularity}'s prediction for each item. */
export function contentPopularity(content: ItemContent, weights: Float64Array, items: ArrayLike<number>): Float64Array {
  const intercept = weights[weights.length - 1];
  return Float64Array.from({ length: items.length }, (_, j) => intercept + dot(content, items[j], weights as Float64Array));
}
