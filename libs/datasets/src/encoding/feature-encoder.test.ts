import { assertRowsMatchLayout } from '@metarec/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { FeatureEncoder } from './feature-encoder.js';
import type { ItemFeatureSource, UserFeatureSource } from './feature-sources.js';
import { MISSING_ROW, candidateRows, gatherRows } from './row-gather.js';

const users: UserFeatureSource[] = [
  { user_id: 'u2', age_bucket: '25', gender: 'F', occupation: 'artist', region: '9' },
  { user_id: 'u1', age_bucket: '18', gender: 'M', occupation: 'writer', region: null },
];
const items: ItemFeatureSource[] = [
  { item_id: 'i1', categories: ['Drama', 'Comedy'], release_year: 1994, numeric_attributes: { price: 10 } },
  { item_id: 'i2', categories: ['Drama'], release_year: 1922, numeric_attributes: { price: 30 } },
  { item_id: 'i3', categories: [], release_year: null, numeric_attributes: {} },
];

describe('FeatureEncoder', () => {
  const encoder = FeatureEncoder.fit({ users, items, trainingUserIds: ['u1', 'u2'], trainingItemIds: ['i1', 'i2'] }, { includeUserId: true });

  it('lays out user and item fields with one reserved unknown index each', () => {
    expect(encoder.layout()).toEqual({
      userFields: [
        { name: 'user_id', cardinality: 3 },
        { name: 'age_bucket', cardinality: 3 },
        { name: 'gender', cardinality: 3 },
        { name: 'occupation', cardinality: 3 },
        { name: 'region', cardinality: 2 },
      ],
      // 5-year bins 1920..1994: 15 bins + unknown
      itemFields: [
        { name: 'item_id', cardinality: 3 },
        { name: 'release_year_bucket', cardinality: 16 },
      ],
      categoryCount: 2,
      numericCount: 1,
    });
  });

  it('encodes the hand example to the expected indices, multi-hot and standardised numbers', () => {
    const u = encoder.encodeUsers(users);
    // u2: id 2, age "25" (2nd of "18","25"), F (1st), artist (1st), region "9" (1st)
    // u1: id 1, age "18" (1), M (2), writer (2), region missing (0)
    expect(Array.from(u.fields)).toEqual([2, 2, 1, 1, 1, 1, 1, 2, 2, 0]);
    const i = encoder.encodeItems(items);
    // i3 is not a training item: id 0; no year: bucket 0. 1994 -> bin 14 -> 15; 1922 -> bin 0 -> 1.
    expect(Array.from(i.fields)).toEqual([1, 15, 2, 1, 0, 0]);
    // categories in code-point order: Comedy, Drama
    expect(Array.from(i.categories)).toEqual([1, 1, 0, 1, 0, 0]);
    // price mean 20, population std 10; missing -> 0
    expect(Array.from(i.numeric)).toEqual([-1, 1, 0]);
  });

  it('maps unknown ids and values to 0 while keeping known profile fields', () => {
    const u = encoder.encodeUsers([{ user_id: 'new', age_bucket: '18', gender: 'X', occupation: 'writer' }]);
    expect(Array.from(u.fields)).toEqual([0, 1, 0, 2, 0]);
  });

  it('restores from JSON text and encodes identically', () => {
    const restored = FeatureEncoder.fromJSON(JSON.parse(JSON.stringify(encoder)));
    expect(restored.layout()).toEqual(encoder.layout());
    expect(restored.encodeUsers(users)).toEqual(encoder.encodeUsers(users));
    expect(restored.encodeItems(items)).toEqual(encoder.encodeItems(items));
  });

  it('rejects JSON of another version', () => {
    expect(() => FeatureEncoder.fromJSON({ ...encoder.toJSON(), version: 99 })).toThrow(expect.objectContaining({ code: 'DS_SERIALIZED_INVALID' }) as Error);
  });

  it('leaves id fields out when asked (the MeLU reference has none)', () => {
    const plain = FeatureEncoder.fit({ users, items }, { includeUserId: false, includeItemId: false, yearBuckets: { firstYear: 1920, widthYears: 5, count: 16 } });
    const layout = plain.layout();
    expect(layout.userFields.map((f) => f.name)).toEqual(['age_bucket', 'gender', 'occupation', 'region']);
    expect(layout.itemFields).toEqual([{ name: 'release_year_bucket', cardinality: 17 }]);
    expect(Array.from(plain.encodeItems(items).fields)).toEqual([15, 1, 0]);
  });

  it('gathers rows by table row, and scores candidates with the user repeated and unknown items zeroed', () => {
    const u = encoder.encodeUsers(users);
    const i = encoder.encodeItems(items);
    const rows = gatherRows({ users: u, items: i, userRows: Int32Array.of(1, 0, MISSING_ROW), itemRows: Int32Array.of(2, 0, 1), labels: Float32Array.of(5, 3, 1) });
    assertRowsMatchLayout(rows, encoder.layout());
    expect(Array.from(rows.userIndices.subarray(0, 5))).toEqual([1, 1, 2, 2, 0]);
    expect(Array.from(rows.userIndices.subarray(10))).toEqual([0, 0, 0, 0, 0]);
    expect(rows.itemIds).toEqual(['i3', 'i1', 'i2']);
    expect(Array.from(rows.labels)).toEqual([5, 3, 1]);

    const candidates = candidateRows(u, 0, i, ['i2', 'unseen']);
    assertRowsMatchLayout(candidates, encoder.layout());
    expect(Array.from(candidates.userIndices)).toEqual([2, 2, 1, 1, 1, 2, 2, 1, 1, 1]);
    expect(Array.from(candidates.itemIndices)).toEqual([2, 1, 0, 0]);
    expect(candidates.itemIds).toEqual(['i2', 'unseen']);
  });

  it('rejects out-of-range rows with DS_INVALID_INPUT', () => {
    const u = encoder.encodeUsers(users);
    const i = encoder.encodeItems(items);
    expect(() => gatherRows({ users: u, items: i, userRows: Int32Array.of(2), itemRows: Int32Array.of(0) })).toThrow(expect.objectContaining({ code: 'DS_INVALID_INPUT' }) as Error);
  });

  it('gives users no id field by default, so a held-out user encodes like a training user with the same profile', () => {
    const plain = FeatureEncoder.fit({ users, items });
    expect(plain.layout().userFields.map((f) => f.name)).toEqual(['age_bucket', 'gender', 'occupation', 'region']);
    expect(plain.layout().itemFields.map((f) => f.name)).toEqual(['item_id', 'release_year_bucket']);
    const [trained, heldOut] = [plain.encodeUsers([users[0]]), plain.encodeUsers([{ ...users[0], user_id: 'never-seen' }])];
    expect(Array.from(heldOut.fields)).toEqual(Array.from(trained.fields));
  });

  it('encodes any profiles identically after a JSON round trip, with every index inside its cardinality', () => {
    const label = fc.option(fc.constantFrom('a', 'b', 'c', 'd'), { nil: null });
    const userArb = fc.record({ user_id: fc.string({ minLength: 1, maxLength: 4 }), age_bucket: label, gender: label, occupation: label, region: label });
    const itemArb = fc.record({
      item_id: fc.string({ minLength: 1, maxLength: 4 }),
      categories: fc.uniqueArray(fc.constantFrom('x', 'y', 'z'), { maxLength: 3 }),
      release_year: fc.option(fc.integer({ min: 1900, max: 2030 }), { nil: null }),
      numeric_attributes: fc.dictionary(fc.constantFrom('p', 'q'), fc.double({ min: -1e3, max: 1e3, noNaN: true })),
    });
    fc.assert(
      fc.property(fc.array(userArb, { maxLength: 8 }), fc.array(itemArb, { maxLength: 8 }), fc.array(userArb, { maxLength: 4 }), (us, is, probes) => {
        const fitted = FeatureEncoder.fit({ users: us, items: is });
        const restored = FeatureEncoder.fromJSON(JSON.parse(JSON.stringify(fitted)));
        const layout = fitted.layout();
        expect(restored.layout()).toEqual(layout);
        const all = [...us, ...probes];
        const encoded = restored.encodeUsers(all);
        expect(encoded.fields).toEqual(fitted.encodeUsers(all).fields);
        encoded.fields.forEach((index, k) => {
          expect(index).toBeLessThan(layout.userFields[k % layout.userFields.length].cardinality);
        });
        const items = restored.encodeItems(is);
        expect(items.numeric).toEqual(fitted.encodeItems(is).numeric);
        items.fields.forEach((index, k) => {
          expect(index).toBeLessThan(layout.itemFields[k % layout.itemFields.length].cardinality);
        });
      }),
      { numRuns: 100 },
    );
  });
});
