import { describe, expect, it } from 'vitest';

import { FIXTURE_NOW_MS, makeItemProfile } from '../testing/record-builders.js';
import { validateItemProfile } from './item-profile.js';

const options = { nowMs: FIXTURE_NOW_MS };

function issueOf(input: unknown): [string, string] {
  const result = validateItemProfile(input, options);
  if (result.ok) {
    throw new Error('expected a rejection');
  }
  return [result.error.code, result.error.field];
}

describe('validateItemProfile', () => {
  it('accepts a complete profile and copies its list and map', () => {
    const input = makeItemProfile();
    const result = validateItemProfile(input, options);
    expect(result.ok && result.record).toEqual(input);
    expect(result.ok && result.record.categories).not.toBe(input.categories);
  });

  it('accepts empty categories and attributes and a missing release year', () => {
    const result = validateItemProfile(makeItemProfile({ categories: [], numeric_attributes: {}, release_year: undefined }), options);
    expect(result.ok && result.record.release_year).toBeNull();
  });

  it('names the offending category element', () => {
    expect(issueOf(makeItemProfile({ categories: ['Drama', 7] }))).toEqual(['SCHEMA_FIELD_TYPE', 'categories[1]']);
    expect(issueOf(makeItemProfile({ categories: ['Drama', 'Drama'] }))).toEqual(['SCHEMA_FIELD_RANGE', 'categories[1]']);
    expect(issueOf(makeItemProfile({ categories: 'Drama' }))).toEqual(['SCHEMA_FIELD_TYPE', 'categories']);
  });

  it('names the offending numeric attribute', () => {
    expect(issueOf(makeItemProfile({ numeric_attributes: { runtime_min: '81' } }))).toEqual(['SCHEMA_FIELD_TYPE', 'numeric_attributes.runtime_min']);
    expect(issueOf(makeItemProfile({ numeric_attributes: { runtime_min: Infinity } }))).toEqual(['SCHEMA_FIELD_RANGE', 'numeric_attributes.runtime_min']);
    expect(issueOf(makeItemProfile({ numeric_attributes: [1, 2] }))).toEqual(['SCHEMA_FIELD_TYPE', 'numeric_attributes']);
  });

  it('keeps a "__proto__" attribute as data, not as a prototype', () => {
    const input: unknown = JSON.parse('{"item_id":"i","title":"t","categories":[],"numeric_attributes":{"__proto__":3},"updated_at_ms":1767225600000}');
    const result = validateItemProfile(input, options);
    expect(result.ok && Object.getPrototypeOf(result.record.numeric_attributes)).toBe(Object.prototype);
    expect(result.ok && Object.entries(result.record.numeric_attributes)).toEqual([['__proto__', 3]]);
  });

  it('bounds the release year to integers in 1800..2100', () => {
    expect(issueOf(makeItemProfile({ release_year: 1799 }))).toEqual(['SCHEMA_FIELD_RANGE', 'release_year']);
    expect(issueOf(makeItemProfile({ release_year: 1995.5 }))).toEqual(['SCHEMA_FIELD_TYPE', 'release_year']);
  });
});
