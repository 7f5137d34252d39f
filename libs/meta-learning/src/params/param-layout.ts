import { MetaLearningError } from '../errors.js';

/**
 * All parameters (and gradients, optimizer moments) travel as one contiguous `Float32Array`
 * in layout order: one allocation, byte-exact checkpoints, no JSON of numbers.
 */
export type FlatParams = Float32Array;

/** A named parameter tensor to lay out: name (unique, e.g. `mlp/w0`) and shape. */
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/** One parameter inside a flat array: `flat.subarray(offset, offset + size)` in row-major order. */
export interface ParamEntry extends ParamSpec {
  /** Offset in elements (not bytes) from the start of the flat array. */
  readonly offset: number;
  /** Element count, the product of `shape` (1 for a scalar `[]`). */
  readonly size: number;
}

/** The typed layout of a flat parameter array: entries in order, contiguous, no gaps. */
export interface ParamLayout {
  readonly entries: readonly ParamEntry[];
  /** Total element count; a matching flat array has exactly this length. */
  readonly totalSize: number;
}

const NAME_PATTERN = /^[A-Za-z0-9_./:-]+$/;

/**
 * Lays `specs` out contiguously in the given order.
 * @throws MetaLearningError `ML_LAYOUT_INVALID` on a duplicate or malformed name or a negative/non-integer dimension.
 */
export function createParamLayout(specs: readonly ParamSpec[]): ParamLayout {
  const seen = new Set<string>();
  const entries: ParamEntry[] = [];
  let offset = 0;
  for (const spec of specs) {
    if (!NAME_PATTERN.test(spec.name) || seen.has(spec.name)) {
      throw new MetaLearningError('ML_LAYOUT_INVALID', `parameter name "${spec.name}" is malformed or duplicated`, {
        name: spec.name,
      });
    }
    if (!spec.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new MetaLearningError('ML_LAYOUT_INVALID', `parameter "${spec.name}" has an invalid shape [${spec.shape.join(',')}]`, {
        name: spec.name,
      });
    }
    seen.add(spec.name);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    entries.push({ name: spec.name, shape: [...spec.shape], offset, size });
    offset += size;
  }
  return { entries, totalSize: offset };
}

function entryEqual(e: ParamEntry, f: ParamEntry | undefined): boolean {
  return (
    f !== undefined &&
    e.name === f.name &&
    e.offset === f.offset &&
    e.size === f.size &&
    e.shape.length === f.shape.length &&
    e.shape.every((d, k) => d === f.shape[k])
  );
}

/** True when both layouts have the same names, shapes and offsets in the same order. */
export function layoutsEqual(a: ParamLayout, b: ParamLayout): boolean {
  return a.totalSize === b.totalSize && a.entries.length === b.entries.length && a.entries.every((e, i) => entryEqual(e, b.entries[i]));
}

/** @throws MetaLearningError `ML_LAYOUT_MISMATCH` naming the first differing entry. */
export function assertLayoutsEqual(actual: ParamLayout, expected: ParamLayout, what = 'params'): void {
  if (layoutsEqual(actual, expected)) {
    return;
  }
  const i = actual.entries.findIndex((e, k) => !entryEqual(e, expected.entries[k]));
  const where = i >= 0 ? `entry ${i} (${actual.entries[i].name})` : `entry count ${actual.entries.length} vs ${expected.entries.length}`;
  throw new MetaLearningError('ML_LAYOUT_MISMATCH', `${what} layout differs from the expected one at ${where}`, { what, index: i });
}

/** The entry called `name`. @throws MetaLearningError `ML_PARAM_MISSING`. */
export function layoutEntry(layout: ParamLayout, name: string): ParamEntry {
  const entry = layout.entries.find((e) => e.name === name);
  if (entry === undefined) {
    throw new MetaLearningError('ML_PARAM_MISSING', `parameter "${name}" is not in the layout`, { name });
  }
  return entry;
}

/** A flat array of zeros for `layout`. */
export function zerosFor(layout: ParamLayout): FlatParams {
  return new Float32Array(layout.totalSize);
}

/** @throws MetaLearningError `ML_SIZE_MISMATCH` when `flat.length !== layout.totalSize`. */
export function assertFlatSize(layout: ParamLayout, flat: Float32Array, what = 'params'): void {
  if (flat.length !== layout.totalSize) {
    throw new MetaLearningError('ML_SIZE_MISMATCH', `${what} has ${flat.length} elements, the layout needs ${layout.totalSize}`, {
      what,
      actual: flat.length,
      expected: layout.totalSize,
    });
  }
}

/** A new layout holding only the entries whose names pass `keep`, re-packed contiguously. */
export function subLayout(layout: ParamLayout, keep: (name: string) => boolean): ParamLayout {
  return createParamLayout(layout.entries.filter((e) => keep(e.name)).map((e) => ({ name: e.name, shape: e.shape })));
}
