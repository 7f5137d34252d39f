import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseRunSpec } from '../spec/run-spec.js';
import { loadTaskSet } from './load-task-set.js';

/** An ML-1M style directory: 40 users rating 20 of 30 movies each, one second apart. */
async function writeMovieLens(dir: string): Promise<number> {
  const users = Array.from({ length: 40 }, (_, u) => `${u + 1}::${u % 2 === 0 ? 'F' : 'M'}::25::${u % 20}::1000${u}`).join('\n');
  const movies = Array.from({ length: 30 }, (_, m) => `${m + 1}::Movie ${m + 1} (199${m % 10})::${m % 3 === 0 ? 'Comedy' : 'Drama|Romance'}`).join('\n');
  let t = 978300000;
  const ratings: string[] = [];
  for (let u = 0; u < 40; u++) {
    for (let k = 0; k < 20; k++) {
      ratings.push(`${u + 1}::${((u + 3 * k) % 30) + 1}::${1 + ((u + k) % 5)}::${t++}`);
    }
  }
  await writeFile(path.join(dir, 'users.dat'), users + '\n');
  await writeFile(path.join(dir, 'movies.dat'), movies + '\n');
  await writeFile(path.join(dir, 'ratings.dat'), ratings.join('\n') + '\n');
  return (t - 1) * 1000;
}

describe('movielens data kind', () => {
  let root: string;
  let newestMs: number;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'metarec-ml-run-'));
    await writeFile(path.join(root, 'placeholder'), '');
    const a = path.join(root, 'a');
    await import('node:fs/promises').then((fs) => fs.mkdir(a));
    newestMs = await writeMovieLens(a);
    await cp(a, path.join(root, 'b'), { recursive: true });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const spec = (dir: string): ReturnType<typeof parseRunSpec> =>
    parseRunSpec({ data: { kind: 'movielens', dir, queryCount: 5, minRatings: 10, validationFraction: 0.2, testFraction: 0.2 }, output: { dir: '.' } });

  it('builds the run tasks from the files: every eligible user split, the stars scale, the newest rating as watermark', async () => {
    const set = await loadTaskSet(spec(path.join(root, 'a')).data);
    expect(set.train.length + set.validation.length + set.test.length).toBe(40);
    expect(set.validation.length).toBeGreaterThan(0);
    expect(set.train.every((t) => t.query.count === 5 && t.support.count === 15)).toBe(true);
    expect(set.ratingScale).toMatchObject({ min: 1, max: 5 });
    expect(set.dataWatermarkMs).toBe(newestMs);
    expect(set.watermarks).toEqual([]);
    expect(set.featureLayout.categoryCount).toBe(3);
  });

  it('gives the same files in another directory the same data version', async () => {
    const a = await loadTaskSet(spec(path.join(root, 'a')).data);
    const b = await loadTaskSet(spec(path.join(root, 'b')).data);
    expect(b.dataVersion).toBe(a.dataVersion);
  });

  it('names the directory when it holds no MovieLens files', async () => {
    await expect(loadTaskSet(spec(path.join(root, 'missing')).data)).rejects.toThrow(/missing/);
  });
});
