import { SeededRng } from '@metarec/runtime';

import type { Dataset } from '../dataset/dataset.js';
import { DatasetError } from '../errors.js';
import type { TimestampSource } from './import-rating-files.js';

/**
 * How a cold-start split decides which items are new: by `release-year` (1 January of it), by
 * `first-rating` (the item's first rating time; only meaningful with real timestamps), or
 * `random` (a seeded random order of the items, for data with neither).
 */
export type NewItemRule = 'release-year' | 'first-rating' | 'random';

/** Every {@link NewItemRule}. */
export const NEW_ITEM_RULES: readonly NewItemRule[] = ['release-year', 'first-rating', 'random'];

/**
 * The rule used when none is given: `release-year` when any item has one, else `first-rating`
 * when the times are real.
 * @throws DatasetError `DS_INVALID_OPTION` when the data has neither release years nor
 *   timestamps: new items must then be picked explicitly (`random`).
 */
export function defaultNewItemRule(dataset: Pick<Dataset, 'items'>, timestamps: TimestampSource): NewItemRule {
  if (dataset.items.some((i) => i.release_year !== null)) {
    return 'release-year';
  }
  if (timestamps.kind === 'file') {
    return 'first-rating';
  }
  throw new DatasetError('DS_INVALID_OPTION', 'the items have no release year and the ratings no timestamps: nothing says which items are new; give a release-year column or choose the random rule (metarec-eval: --new-items random)');
}

/**
 * Per item, the time it "appeared" under `rule`, in epoch ms (NaN when unknown: such an item
 * counts as existing). A split then takes the latest ones as new items.
 * @param seed seed of the `random` rule.
 */
export function itemAppearanceMs(dataset: Pick<Dataset, 'items'>, rule: NewItemRule, seed = 0): Float64Array {
  if (rule === 'release-year') {
    return Float64Array.from(dataset.items, (i) => (i.release_year === null ? Number.NaN : Date.UTC(i.release_year, 0, 1)));
  }
  if (rule === 'first-rating') {
    return Float64Array.from(dataset.items, (i) => i.updated_at_ms);
  }
  return Float64Array.from(new SeededRng(`new-items:${seed}`).permutation(dataset.items.length));
}
