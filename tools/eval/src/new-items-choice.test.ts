import { describe, expect, it } from 'vitest';

import { fileNewItems, movieLensNewItems, splitFileNewItems, syntheticNewItems } from './new-items-choice.js';

describe('new items per data set', () => {
  it('movielens: 1997 on ML-100K and 2000 on ML-1M by default, the flag otherwise', () => {
    expect(movieLensNewItems('ml-100k')).toEqual({ fromMs: Date.UTC(1997, 0, 1), description: 'items released in 1997 or later (ml-100k default)' });
    expect(movieLensNewItems('ml-1m').fromMs).toBe(Date.UTC(2000, 0, 1));
    expect(movieLensNewItems('ml-100k', 1995)).toEqual({ fromMs: Date.UTC(1995, 0, 1), description: 'items released in 1995 or later (--new-items-from)' });
  });

  it("file data: the latest 20 % under the importer's rule, or a year under it", () => {
    expect(fileNewItems('first-rating', true)).toEqual({ fromMs: undefined, description: "latest 20 % of items by first-rating, the importer's default rule for this data" });
    expect(fileNewItems('release-year', false, 2010)).toEqual({ fromMs: Date.UTC(2010, 0, 1), description: 'items by release-year (--new-items) in 2010 or later (--new-items-from)' });
    expect(() => fileNewItems('random', false, 2010)).toThrow(/does not apply to --new-items random/);
  });

  it("synthetic: the generator's new items; a year is refused rather than ignored", () => {
    expect(syntheticNewItems(Date.UTC(2026, 2, 1))).toEqual({ fromMs: Date.UTC(2026, 2, 1), description: "the generator's new items (appearing from 2026-03-01)" });
    expect(() => syntheticNewItems(0, 1997)).toThrow(/does not apply to --dataset synthetic/);
  });

  it('split file listing items: the file decides; --new-items / --new-items-from are refused, saying why', () => {
    expect(splitFileNewItems('s.csv', 12, {})).toEqual({ fromMs: undefined, description: 'the 12 items marked new in --split-file s.csv (unlisted items existing)' });
    expect(() => splitFileNewItems('s.csv', 12, { newItemsFrom: 1998 })).toThrow(/--new-items-from cannot be combined with --split-file s\.csv: the file lists items/);
    expect(() => splitFileNewItems('s.csv', 12, { newItems: 'random', newItemsFrom: 1998 })).toThrow(/--new-items and --new-items-from cannot be combined/);
  });
});
