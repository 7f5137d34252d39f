import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DatasetError } from '@metarec/datasets';

import { describeSplitFile, readSplitFile, splitFileRoles } from './split-file.js';

/** Users u1..u5 and items i1..i4, in row order. */
const ids = {
  users: ['u1', 'u2', 'u3', 'u4', 'u5'].map((user_id) => ({ user_id })),
  items: ['i1', 'i2', 'i3', 'i4'].map((item_id) => ({ item_id })),
};

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metarec-eval-split-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(text: string, ext = 'csv'): Promise<string> {
  const path = join(dir, `split-${n++}.${ext}`);
  await writeFile(path, text);
  return path;
}

/** The DatasetError `readSplitFile` throws on `text`. */
async function errorOf(text: string): Promise<DatasetError> {
  const path = await fileWith(text);
  const error: unknown = await readSplitFile(path, ids).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetError);
  return error as DatasetError;
}

describe('readSplitFile', () => {
  it('reads a CSV: listed roles exactly, unlisted users training and unlisted items existing', async () => {
    const path = await fileWith('kind,id,role\nuser,u2,new\nuser,u4,new\nuser,u1,training\nitem,i3,new\nitem,i1,existing\n');
    const split = await readSplitFile(path, ids);
    expect(Array.from(split.isTestUser)).toEqual([0, 1, 0, 1, 0]);
    expect(Array.from(split.isNewItem ?? [])).toEqual([0, 0, 1, 0]);
    expect(split.listed).toEqual({ user: { training: 1, new: 2 }, item: { existing: 1, new: 1 } });
    expect(splitFileRoles(split)).toEqual({ isTestUser: split.isTestUser, isNewItem: split.isNewItem, source: path });
    expect(describeSplitFile(split)).toBe(`split file ${path}: users: 2 new, 1 listed training, 2 unlisted (training); items: 1 new, 1 listed existing, 2 unlisted (existing)`);
  });

  it('reads a TSV with CRLF, extra columns and the header in another order', async () => {
    const path = await fileWith('role\tnote\tid\tkind\r\nnew\tx\tu5\tuser\r\nexisting\t\ti4\titem\r\n', 'tsv');
    const split = await readSplitFile(path, ids);
    expect(Array.from(split.isTestUser)).toEqual([0, 0, 0, 0, 1]);
    expect(Array.from(split.isNewItem ?? [])).toEqual([0, 0, 0, 0]);
  });

  it('leaves items to the data set when the file lists none', async () => {
    const split = await readSplitFile(await fileWith('kind,id,role\nuser,u3,new\n'), ids);
    expect(split.isNewItem).toBeUndefined();
    expect(describeSplitFile(split)).toContain('no items listed (new items follow the data set rule)');
  });

  it.each([
    ['an unknown kind', 'kind,id,role\nuser,u1,new\nmovie,i1,new\n', 3, '1 (kind)', /:3: column 1 \(kind\): unknown kind "movie" \(user or item\)/],
    ['a user with an item role', 'kind,id,role\nuser,u1,new\nuser,u2,existing\n', 3, '3 (role)', /:3: column 3 \(role\): bad user role "existing" \(training or new\)/],
    ['an item with a user role', 'kind,id,role\nuser,u1,new\nitem,i2,training\n', 3, '3 (role)', /bad item role "training" \(existing or new\)/],
    ['an id not in the data set', 'kind,id,role\nuser,u1,new\n\nitem,i9,new\n', 4, '2 (id)', /:4: column 2 \(id\): item id "i9" is not in the data set \(4 items\)/],
    ['a duplicate id', 'kind,id,role\nuser,u1,new\nuser,u2,new\nuser,u1,training\n', 4, '2 (id)', /:4: column 2 \(id\): user "u1" is listed twice \(first on line 2\)/],
    ['a missing cell', 'kind,id,role\nuser,u1\n', 2, '3 (role)', /:2: column 3 \(role\): missing/],
  ])('names file, line and column of %s', async (_, text, line, column, message) => {
    const error = await errorOf(text);
    expect(error.code).toBe('DS_MALFORMED_LINE');
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(error.file ?? '?')).toBe(true);
    expect(error.file).toMatch(/split-\d+\.csv$/);
    expect(error.line).toBe(line);
    expect(error.column).toBe(column);
  });

  it('refuses a file without the kind,id,role header, naming what is missing', async () => {
    const error = await errorOf('user,u1,new\nuser,u2,new\n');
    expect(error.code).toBe('DS_COLUMN_MISSING');
    expect(error.line).toBe(1);
    expect(error.message).toMatch(/:1: the header has no column "kind", "id", "role" \(found "user", "u1", "new"\); a split file starts with the header line kind,id,role/);
    expect((await errorOf('kind,id\nuser,u1\n')).message).toMatch(/the header has no column "role"/);
  });

  it('refuses a split with no new user, only new users or only new items', async () => {
    expect((await errorOf('kind,id,role\nuser,u1,training\nitem,i1,new\n')).message).toMatch(/no user has role "new": nothing to evaluate/);
    const allUsers = 'kind,id,role\n' + ids.users.map((u) => `user,${u.user_id},new\n`).join('');
    expect((await errorOf(allUsers)).message).toMatch(/all 5 users are new: no training user left/);
    const allItems = 'kind,id,role\nuser,u1,new\n' + ids.items.map((i) => `item,${i.item_id},new\n`).join('');
    expect((await errorOf(allItems)).message).toMatch(/all 4 items are new: no existing item left/);
  });

  it('refuses an empty file, a header alone and a missing file, naming the file', async () => {
    expect((await errorOf('')).code).toBe('DS_FILE_EMPTY');
    expect((await errorOf('kind,id,role\n')).code).toBe('DS_FILE_EMPTY');
    await expect(readSplitFile(join(dir, 'absent.csv'), ids)).rejects.toMatchObject({ code: 'DS_FILE_MISSING', file: join(dir, 'absent.csv') });
  });
});
