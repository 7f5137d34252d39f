import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { validateInteraction, validateItemProfile, validateUserProfile } from '@metarec/schemas';

import { EVENT_TYPE_CODE, interactionRecords } from '../dataset/dataset.js';
import { MOVIELENS_100K_SKIP_MESSAGE, findMovieLens100k } from '../testing/movielens-100k.js';
import { importMovieLens } from './import-movielens.js';
import type { MovieLensDataset } from './import-movielens.js';

const ml100k = findMovieLens100k();

describe.skipIf(ml100k === undefined)('importMovieLens on the real ML-100K', () => {
  let data: MovieLensDataset;
  beforeAll(async () => {
    data = await importMovieLens(ml100k as string);
  });

  it('reads 100,000 ratings by 943 users of 1,682 items and verifies SHA256SUMS', () => {
    expect(data.format).toBe('ml-100k');
    expect(data.checksums).toBe('verified');
    expect(data.interactions.count).toBe(100_000);
    expect(data.users).toHaveLength(943);
    expect(data.items).toHaveLength(1682);
    expect(data.interactions.eventTypes.every((t) => t === EVENT_TYPE_CODE.rating)).toBe(true);
  });

  it('produces records that pass the schemas validators', () => {
    const problems = [
      ...data.users.map((u) => validateUserProfile(u)),
      ...data.items.map((i) => validateItemProfile(i)),
      ...interactionRecords(data).map((r) => validateInteraction(r)),
    ].filter((result) => !result.ok);
    expect(problems).toEqual([]);
  });

  it('has the published rating distribution', () => {
    const histogram = [0, 0, 0, 0, 0];
    data.interactions.values.forEach((v) => histogram[v - 1]++);
    expect(histogram).toEqual([6110, 11370, 27145, 34174, 21201]);
  });

  it('gives every user at least 20 ratings', () => {
    const perUser = new Int32Array(data.users.length);
    data.interactions.userRows.forEach((row) => perUser[row]++);
    expect(Math.min(...perUser)).toBeGreaterThanOrEqual(20);
  });

  it('maps profiles as the MeLU reference: age buckets, first ZIP character, 19 genres, release years, latin-1 titles', () => {
    expect(data.users[0]).toEqual({ user_id: '1', age_bucket: '18', gender: 'M', occupation: 'technician', region: '8', updated_at_ms: expect.any(Number) as number });
    expect(new Set(data.users.map((u) => u.age_bucket))).toEqual(new Set(['1', '18', '25', '35', '45', '50', '56']));
    expect(new Set(data.users.map((u) => u.region)).size).toBe(11);
    expect(new Set(data.items.flatMap((i) => i.categories)).size).toBe(19);
    expect(data.items[0]).toMatchObject({ item_id: '1', title: 'Toy Story (1995)', categories: ['Animation', "Children's", 'Comedy'], release_year: 1995 });
    expect(data.items.filter((i) => i.release_year === null).map((i) => i.item_id)).toEqual(['267']);
    expect(data.items.some((i) => /[\u00e0-\u00ff]/.test(i.title ?? ''))).toBe(true);
    const years = data.items.flatMap((i) => (i.release_year === null ? [] : [i.release_year]));
    expect([Math.min(...years), Math.max(...years)]).toEqual([1922, 1998]);
  });
});

if (ml100k === undefined) {
  it.skip(MOVIELENS_100K_SKIP_MESSAGE, () => undefined);
}

describe('importMovieLens on fixture files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metarec-ml-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function fixture(name: string, files: Record<string, string | Buffer>): Promise<string> {
    const at = join(dir, name);
    await rm(at, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(at));
    for (const [file, content] of Object.entries(files)) {
      await writeFile(join(at, file), content);
    }
    return at;
  }

  const ml1m = {
    'users.dat': '1::F::1::10::48067\n2::M::56::16::70072\n3::M::25::15::T8H1N\n',
    'movies.dat': Buffer.from('1::Toy Story (1995)::Animation|Children\'s|Comedy\n2::Caf\xe9 Society::Drama\n', 'latin1'),
    'ratings.dat': '1::1::5::978300760\r\n2::1::3::978302109\n3::2::4::978301968\n',
  };

  it('reads the ML-1M "::" format with age codes, occupation names and latin-1 titles', async () => {
    const data = await importMovieLens(await fixture('ml1m', ml1m));
    expect(data.format).toBe('ml-1m');
    expect(data.checksums).toBe('absent');
    expect(data.users.map((u) => [u.age_bucket, u.occupation, u.region])).toEqual([
      ['1', 'K-12 student', '4'],
      ['56', 'self-employed', '7'],
      ['25', 'scientist', 'non-us'],
    ]);
    expect(data.items[1]).toMatchObject({ title: 'Caf\u00e9 Society', release_year: null, categories: ['Drama'] });
    expect(Array.from(data.interactions.values)).toEqual([5, 3, 4]);
    expect(Array.from(data.interactions.userRows)).toEqual([0, 1, 2]);
    expect(data.interactions.timestampsMs[0]).toBe(978300760000);
    expect(data.users[0].updated_at_ms).toBe(978300760000);
  });

  it('names file and line of a malformed rating', async () => {
    const at = await fixture('bad-line', { ...ml1m, 'ratings.dat': '1::1::5::978300760\n2::1::7::978302109\n' });
    await expect(importMovieLens(at)).rejects.toMatchObject({ code: 'DS_MALFORMED_LINE', line: 2, file: join(at, 'ratings.dat') });
    const missing = await fixture('bad-ref', { ...ml1m, 'ratings.dat': '\n9::1::5::978300760\n' });
    await expect(importMovieLens(missing)).rejects.toThrow(/ratings\.dat:2: user id "9" is not in the user file/);
  });

  it('reads ML-100K files, verifies SHA256SUMS and names a file whose checksum differs', async () => {
    const { createHash } = await import('node:crypto');
    const files = {
      'u.user': '1|24|M|technician|85711\n2|17|F|other|V3N4P\n',
      'u.item': `1|Toy Story (1995)|01-Jan-1995||http://x|${'0|'.repeat(18)}1\n2|unknown||||1${'|0'.repeat(18)}\n`,
      'u.data': '1\t1\t4\t881250949\n2\t2\t1\t881250950\n',
    };
    const sums = Object.entries(files).map(([name, text]) => `${createHash('sha256').update(text).digest('hex')}  ${name}`).join('\n');
    const at = await fixture('ml100k', { ...files, SHA256SUMS: `${sums}\n` });
    const data = await importMovieLens(at, { format: 'ml-100k' });
    expect(data.checksums).toBe('verified');
    expect(data.users.map((u) => [u.age_bucket, u.region])).toEqual([['18', '8'], ['1', 'non-us']]);
    expect(data.items.map((i) => [i.categories, i.release_year])).toEqual([[['Western'], 1995], [['unknown'], null]]);

    await writeFile(join(at, 'u.data'), '1\t1\t5\t881250949\n');
    await expect(importMovieLens(at)).rejects.toMatchObject({ code: 'DS_CHECKSUM_MISMATCH', file: join(at, 'u.data') });
  });

  it('refuses a directory in neither layout', async () => {
    await expect(importMovieLens(await fixture('empty', {}))).rejects.toMatchObject({ code: 'DS_FORMAT_UNKNOWN' });
  });
});
