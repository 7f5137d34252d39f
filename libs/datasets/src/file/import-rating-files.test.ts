import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { validateInteraction, validateItemProfile, validateUserProfile } from '@metarec/schemas';

import { EVENT_TYPE_CODE, interactionRecords } from '../dataset/dataset.js';
import { DatasetError } from '../errors.js';
import { importMovieLens } from '../movielens/import-movielens.js';
import { MOVIELENS_100K_SKIP_MESSAGE, findMovieLens100k } from '../testing/movielens-100k.js';
import { importRatingFiles } from './import-rating-files.js';
import type { FileDataset, ImportRatingFilesOptions } from './import-rating-files.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metarec-file-import-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let fileCount = 0;
/** Writes `text` to a fresh file in the temp dir and returns its path. */
async function fileWith(text: string | Uint8Array, extension = '.txt'): Promise<string> {
  const path = join(dir, `f${fileCount++}${extension}`);
  await writeFile(path, text);
  return path;
}

/** (user id, item id, rating, time) of every interaction, sorted, for order-free comparison. */
function tuples(data: FileDataset | Awaited<ReturnType<typeof importMovieLens>>): string[] {
  const c = data.interactions;
  return Array.from({ length: c.count }, (_, k) => `${data.users[c.userRows[k]].user_id}|${data.items[c.itemRows[k]].item_id}|${c.values[k]}|${c.timestampsMs[k]}`).sort();
}

/** The DatasetError `run` rejects with (fails the test when it resolves or throws anything else). */
async function datasetError(run: Promise<unknown>): Promise<DatasetError> {
  const error: unknown = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetError);
  return error as DatasetError;
}

describe('importRatingFiles: formats', () => {
  it('reads a CSV with a header in any column order and real timestamps (seconds)', async () => {
    const ratings = await fileWith('timestamp,movieId,rating,userId\n1000,10,4,u1\n2000,11,3.5,u1\n1500,10,5,u2\n');
    const data = await importRatingFiles({ ratings: { path: ratings } });
    expect(tuples(data)).toEqual(['u1|10|4|1000000', 'u1|11|3.5|2000000', 'u2|10|5|1500000']);
    expect(data.timestamps).toEqual({ kind: 'file' });
    expect(data.users.map((u) => u.user_id)).toEqual(['u1', 'u2']);
    expect(data.interactions.eventTypes.every((t) => t === EVENT_TYPE_CODE.rating)).toBe(true);
    expect(data.users[1].updated_at_ms).toBe(1_500_000);
    expect(data.badRows).toEqual([]);
  });

  it('reads a headerless TSV as user, item, rating, timestamp', async () => {
    const ratings = await fileWith('1\t7\t2\t100\n2\t7\t4\t200\n');
    const data = await importRatingFiles({ ratings: { path: ratings } });
    expect(tuples(data)).toEqual(['1|7|2|100000', '2|7|4|200000']);
  });

  it('reads a "::"-separated file (ML-1M style) with a given column order', async () => {
    const ratings = await fileWith('7::1::5::978300760\n8::1::3::978302109\n');
    const data = await importRatingFiles({ ratings: { path: ratings, columnOrder: ['item', 'user', 'rating', 'timestamp'] } });
    expect(tuples(data)).toEqual(['1|7|5|978300760000', '1|8|3|978302109000']);
  });

  it('reads quoted CSV fields holding the separator and escaped quotes', async () => {
    const ratings = await fileWith('user,item,rating\n"a,1","b ""x""",3\n');
    const data = await importRatingFiles({ ratings: { path: ratings } });
    expect(tuples(data)[0]).toMatch(/^a,1\|b "x"\|3\|/);
  });

  it('reads Arrow IPC with integer ids, float ratings and int64 millisecond timestamps', async () => {
    const table = tableFromArrays({
      user: Int32Array.of(1, 1, 2),
      item: ['a', 'b', 'a'],
      rating: Float32Array.of(0.5, 5, 2.5),
      timestamp: BigInt64Array.of(10n, 20n, 30n),
    });
    const path = await fileWith(tableToIPC(table, 'file'), '.arrow');
    const data = await importRatingFiles({ ratings: { path, timestampUnit: 'ms' } });
    expect(tuples(data)).toEqual(['1|a|0.5|10', '1|b|5|20', '2|a|2.5|30']);
    expect(data.ratingScale).toEqual({ min: 0.5, max: 5 });
  });
});

describe('importRatingFiles: no timestamps, no demographics', () => {
  const text = ['user,item,rating', ...Array.from({ length: 60 }, (_, k) => `u${k % 3},i${k},${(k % 5) + 1}`)].join('\n');
  const order = (data: FileDataset): number[] => Array.from(data.interactions.timestampsMs);

  it('orders ratings by a seeded random order: the same for one seed, different across seeds', async () => {
    const ratings = await fileWith(text);
    const a = await importRatingFiles({ ratings: { path: ratings }, orderSeed: 1 });
    const b = await importRatingFiles({ ratings: { path: ratings }, orderSeed: 1 });
    const c = await importRatingFiles({ ratings: { path: ratings }, orderSeed: 2 });
    expect(a.timestamps).toEqual({ kind: 'seeded-order', seed: 1 });
    expect(order(a)).toEqual(order(b));
    expect(order(a)).not.toEqual(order(c));
    const inFileOrder = Array.from({ length: 60 }, (_, k) => Date.UTC(2000, 0, 1) + 1000 * k);
    expect([...order(a)].sort((x, y) => x - y)).toEqual(inFileOrder);
    expect(order(a)).not.toEqual(inFileOrder);
  });

  it('gives users null demographics and items their id as title, all valid profiles', async () => {
    const data = await importRatingFiles({ ratings: { path: await fileWith(text) } });
    expect(data.users[0]).toEqual({ user_id: 'u0', age_bucket: null, gender: null, occupation: null, region: null, updated_at_ms: expect.any(Number) as number });
    expect(data.items[0]).toMatchObject({ item_id: 'i0', title: 'i0', categories: [], release_year: null, numeric_attributes: {} });
    const problems = [
      ...data.users.map((u) => validateUserProfile(u)),
      ...data.items.map((i) => validateItemProfile(i)),
      ...interactionRecords(data).map((r) => validateInteraction(r)),
    ].filter((r) => !r.ok);
    expect(problems).toEqual([]);
  });
});

describe('importRatingFiles: side features', () => {
  it('reads multi-valued genres with a configurable separator, numeric columns, release years and user attributes', async () => {
    const ratings = await fileWith('user;item;rating\n1;m1;8\n2;m2;0\n3;m1;10\n');
    const items = await fileWith('item;title;genres;runtime;year\nm1;One;Drama/Comedy/Drama;94;1995\nm2;Two;;;2001-06-30\nm3;Three;Horror;100;\n');
    const users = await fileWith('user\tsex\tage\n1\tF\t25\n2\tM\t\n');
    const data = await importRatingFiles({
      ratings: { path: ratings },
      items: { path: items, categorySeparator: '/', numericColumns: ['runtime'] },
      users: { path: users },
    });
    expect(data.items.map((i) => [i.item_id, i.title, i.categories, i.release_year, i.numeric_attributes])).toEqual([
      ['m1', 'One', ['Drama', 'Comedy'], 1995, { runtime: 94 }],
      ['m2', 'Two', [], 2001, {}],
      ['m3', 'Three', ['Horror'], null, { runtime: 100 }],
    ]);
    expect(data.users.map((u) => [u.user_id, u.gender, u.age_bucket])).toEqual([
      ['1', 'F', '25'],
      ['2', 'M', null],
      ['3', null, null],
    ]);
    expect(data.withoutProfile).toEqual({ users: 1, items: 0 });
    expect(data.ratingScale).toEqual({ min: 0, max: 10 });
  });

  it('prefixes labels with their column when several categorical columns are given', async () => {
    const ratings = await fileWith('user,item,rating\n1,a,1\n');
    const items = await fileWith('item,genre,country\na,Drama,FR\n');
    const data = await importRatingFiles({ ratings: { path: ratings }, items: { path: items, categoryColumns: ['genre', 'country'] } });
    expect(data.items[0].categories).toEqual(['genre=Drama', 'country=FR']);
  });
});

describe('importRatingFiles: rating scale', () => {
  it('takes the scale from the data when no flag is given', async () => {
    const data = await importRatingFiles({ ratings: { path: await fileWith('user,item,rating\n1,1,1.5\n1,2,9\n') } });
    expect(data.ratingScale).toEqual({ min: 1.5, max: 9 });
    expect(data.ratingScaleSource).toBe('data');
  });

  it('keeps a given scale wider than the data and rejects ratings outside it, naming file, line and column', async () => {
    const path = await fileWith('user,item,rating\n1,1,1\n1,2,5\n');
    const data = await importRatingFiles({ ratings: { path }, ratingScale: { min: 0, max: 10 } });
    expect(data.ratingScale).toEqual({ min: 0, max: 10 });
    expect(data.ratingScaleSource).toBe('option');
    const error = await datasetError(importRatingFiles({ ratings: { path }, ratingScale: { min: 0.5, max: 4 } }));
    expect(error.code).toBe('DS_MALFORMED_LINE');
    expect(error.message).toBe(`${path}:3: column 3 (rating): rating 5 is outside the scale 0.5..4`);
    expect([error.file, error.line, error.column]).toEqual([path, 3, '3 (rating)']);
  });
});

describe('importRatingFiles: malformed files', () => {
  const cases: { name: string; text: string; options?: Partial<ImportRatingFilesOptions['ratings']>; code: string; line?: number; column?: string; message: RegExp }[] = [
    { name: 'a bad rating', text: 'user,item,rating\n1,2,4\n1,3,four\n', code: 'DS_MALFORMED_LINE', line: 3, column: '3 (rating)', message: /rating must be a number, got "four"/ },
    { name: 'a missing rating column', text: 'user,item,score2\n1,2,4\n', code: 'DS_COLUMN_MISSING', column: 'rating', message: /no rating column: looked for .*"rating".* in the header "user", "item", "score2"/ },
    { name: 'a row with the wrong column count', text: 'user,item,rating\n1,2,4\n1,3\n', code: 'DS_MALFORMED_LINE', line: 3, column: '3 (rating)', message: /expected 3 fields, got 2/ },
    { name: 'a row with too many columns', text: '1\t2\t4\t100\n1\t3\t4\t100\t9\n', code: 'DS_MALFORMED_LINE', line: 2, column: '5', message: /expected 4 fields, got 5/ },
    { name: 'a non-numeric timestamp', text: 'user,item,rating,timestamp\n1,2,4,100\n\n1,3,4,yesterday\n', code: 'DS_MALFORMED_LINE', line: 4, column: '4 (timestamp)', message: /timestamp must be a number, got "yesterday"/ },
    { name: 'a duplicate header', text: 'user,item,rating,item\n1,2,4,3\n', code: 'DS_MALFORMED_HEADER', line: 1, column: '4 (item)', message: /names "item" twice \(also column 2\)/ },
    { name: 'an empty file', text: '', code: 'DS_FILE_EMPTY', message: /is empty/ },
    { name: 'a header without rows', text: 'user,item,rating\n\n', code: 'DS_FILE_EMPTY', message: /has no data rows/ },
    { name: 'an unclosed quote', text: 'user,item,rating\n"1,2,4\n', code: 'DS_MALFORMED_LINE', line: 2, column: '1 (user)', message: /quoted field is not closed/ },
    { name: 'an empty user id', text: 'user,item,rating\n,2,4\n', code: 'DS_MALFORMED_LINE', line: 2, column: '1 (user)', message: /id is empty/ },
    { name: 'a configured timestamp column that is absent', text: 'user,item,rating\n1,2,4\n', options: { columns: { timestamp: 'when' } }, code: 'DS_COLUMN_MISSING', column: 'when', message: /no timestamp column/ },
  ];
  for (const c of cases) {
    it(`fails on ${c.name}, naming file${c.line === undefined ? '' : ', line'}${c.column === undefined ? '' : ' and column'}`, async () => {
      const path = await fileWith(c.text);
      const error = await datasetError(importRatingFiles({ ratings: { path, ...c.options } }));
      expect(error.code).toBe(c.code);
      expect(error.file).toBe(path);
      expect(error.message).toContain(path);
      expect(error.message).toMatch(c.message);
      expect(error.line).toBe(c.line);
      expect(error.column).toBe(c.column);
      if (c.line !== undefined) {
        expect(error.message).toContain(`${path}:${c.line}:`);
      }
    });
  }

  it('fails on a pair rated twice, naming both lines', async () => {
    const path = await fileWith('user,item,rating\n1,2,4\n1,3,4\n1,2,5\n');
    const error = await datasetError(importRatingFiles({ ratings: { path } }));
    expect(error.message).toBe(`${path}:4: this user already rated this item on line 2`);
  });

  it('fails on a bad side-feature row, naming that file, line and column', async () => {
    const ratings = await fileWith('user,item,rating\n1,a,4\n');
    const items = await fileWith('item,year,runtime\na,1995,90\nb,1890s?,x\n');
    const error = await datasetError(importRatingFiles({ ratings: { path: ratings }, items: { path: items, numericColumns: ['runtime'] } }));
    expect([error.file, error.line, error.column]).toEqual([items, 3, '3 (runtime)']);
  });

  it('with skip, leaves bad rows out and lists every one of them with file, line and column', async () => {
    const path = await fileWith('user,item,rating,timestamp\n1,2,4,10\n1,3,x,20\n2\n2,3,4,later\n2,4,1,30\n1,2,5,40\n');
    const data = await importRatingFiles({ ratings: { path }, badRows: 'skip' });
    expect(tuples(data)).toEqual(['1|2|4|10000', '2|4|1|30000']);
    expect(data.badRows).toEqual([
      { file: path, line: 3, column: '3 (rating)', reason: 'rating must be a number, got "x"' },
      { file: path, line: 4, column: '2 (item)', reason: 'expected 4 fields, got 1' },
      { file: path, line: 5, column: '4 (timestamp)', reason: 'timestamp must be a number, got "later"' },
      { file: path, line: 7, reason: 'this user already rated this item on line 2' },
    ]);
  });
});

const ml100k = findMovieLens100k();

describe('importRatingFiles on the real ML-100K', () => {
  it.skipIf(ml100k === undefined)('gives u.data (tab-separated user item rating timestamp) the same ratings as the MovieLens importer', async () => {
    const dir = ml100k as string;
    const generic = await importRatingFiles({ ratings: { path: join(dir, 'u.data') } });
    const movielens = await importMovieLens(dir);
    expect(generic.interactions.count).toBe(100_000);
    expect(generic.timestamps).toEqual({ kind: 'file' });
    expect(generic.ratingScale).toEqual({ min: 1, max: 5 });
    expect(tuples(generic)).toEqual(tuples(movielens));
  });
  // Registered only where the data is absent, so a run that has it reports no skip.
  if (ml100k === undefined) {
    it.skip(`skips the ML-100K comparison: ${MOVIELENS_100K_SKIP_MESSAGE}`, () => undefined);
  }
});
