import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DatasetError, importRatingFiles } from '@metarec/datasets';

import { describeFileDataset, importOptionsFromFlags, parseSeparator, ratingsTableFromFileDataset } from './file-dataset.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metarec-eval-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--dataset file flags', () => {
  it('maps separators, column pairs, the scale and --skip-bad-rows onto the importer options', () => {
    const options = importOptionsFromFlags({
      ratings: 'r.dat',
      items: 'i.dat',
      users: 'u.dat',
      separator: '::',
      columns: 'user=uid,rating=stars',
      ratingScale: '0.5,5',
      userColumns: 'gender=sex',
      itemCategories: ['genres'],
      categorySeparator: 'pipe',
      skipBadRows: true,
      orderSeed: 3,
    });
    expect(options.ratings).toMatchObject({ path: 'r.dat', separator: '::', columns: { user: 'uid', rating: 'stars' } });
    expect(options.users).toMatchObject({ path: 'u.dat', separator: '::', attributeColumns: { gender: 'sex' } });
    expect(options.items).toMatchObject({ path: 'i.dat', categoryColumns: ['genres'], categorySeparator: '|' });
    expect(options.ratingScale).toEqual({ min: 0.5, max: 5 });
    expect(options.badRows).toBe('skip');
    expect(options.orderSeed).toBe(3);
    expect(parseSeparator('tab')).toBe('\t');
    expect(parseSeparator('\\t')).toBe('\t');
  });

  it('rejects a missing --ratings, an unknown column role or attribute, a side-file flag without its file and a malformed scale', () => {
    expect(() => importOptionsFromFlags({})).toThrow(/needs --ratings/);
    expect(() => importOptionsFromFlags({ ratings: 'r', columns: 'person=uid' })).toThrow(DatasetError);
    expect(() => importOptionsFromFlags({ ratings: 'r', users: 'u', userColumns: 'height=h' })).toThrow(/--user-columns: expected/);
    expect(() => importOptionsFromFlags({ ratings: 'r', userColumns: 'gender=sex' })).toThrow(/--user-columns needs --users/);
    expect(() => importOptionsFromFlags({ ratings: 'r', itemYear: 'year' })).toThrow(/need --items/);
    expect(() => importOptionsFromFlags({ ratings: 'r', ratingScale: '5,1' })).toThrow(/min < max/);
  });

  it('needs --new-items random for data with neither release years nor timestamps, and lists skipped rows', async () => {
    const path = join(dir, 'ratings.csv');
    await writeFile(path, ['user,item,rating', 'a,1,3', 'a,2,x', 'b,2,4', 'b,3,5'].join('\n'));
    const data = await importRatingFiles(importOptionsFromFlags({ ratings: path, skipBadRows: true }));
    expect(() => ratingsTableFromFileDataset(data, undefined, 0)).toThrow(/no release year/);
    const { table, rule } = ratingsTableFromFileDataset(data, 'random', 0);
    expect(rule).toBe('random');
    expect(table.itemReleaseMs).toHaveLength(data.items.length);
    expect(Array.from(table.ratings)).toEqual([3, 4, 5]);
    expect(describeFileDataset(data)).toContain(`skipped 1 bad rows:\n  ${path}:3: column 3 (rating): rating must be a number, got "x"`);
  });
});
