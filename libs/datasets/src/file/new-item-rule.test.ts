import { describe, expect, it } from 'vitest';

import type { ItemProfile } from '../dataset/records.js';
import { DatasetError } from '../errors.js';
import { defaultNewItemRule, itemAppearanceMs } from './new-item-rule.js';

const item = (id: string, year: number | null, firstMs: number): ItemProfile => ({ item_id: id, title: id, categories: [], release_year: year, numeric_attributes: {}, updated_at_ms: firstMs });

describe('new-item rules', () => {
  it('defaults to release years when any item has one, else to first ratings when times are real', () => {
    expect(defaultNewItemRule({ items: [item('a', null, 1), item('b', 1999, 2)] }, { kind: 'seeded-order', seed: 0 })).toBe('release-year');
    expect(defaultNewItemRule({ items: [item('a', null, 1)] }, { kind: 'file' })).toBe('first-rating');
  });

  it('refuses to guess when there are neither release years nor timestamps', () => {
    expect(() => defaultNewItemRule({ items: [item('a', null, 1)] }, { kind: 'seeded-order', seed: 0 })).toThrow(DatasetError);
  });

  it('dates items by release year (NaN when unknown), by first rating, or by a seeded random order', () => {
    const items = [item('a', 1995, 50), item('b', null, 20), item('c', 2001, 10)];
    expect(Array.from(itemAppearanceMs({ items }, 'release-year'))).toEqual([Date.UTC(1995, 0, 1), NaN, Date.UTC(2001, 0, 1)]);
    expect(Array.from(itemAppearanceMs({ items }, 'first-rating'))).toEqual([50, 20, 10]);
    const many = Array.from({ length: 40 }, (_, k) => item(String(k), null, 0));
    const a = Array.from(itemAppearanceMs({ items: many }, 'random', 3));
    expect(Array.from(itemAppearanceMs({ items: many }, 'random', 3))).toEqual(a);
    expect(Array.from(itemAppearanceMs({ items: many }, 'random', 4))).not.toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, k) => k));
  });
});
