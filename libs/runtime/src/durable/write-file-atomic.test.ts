import { readdirSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ATOMIC_WRITE_TEMP_PATTERN, writeFileAtomic } from './write-file-atomic.js';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'metarec-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates missing directories, replaces an existing file and leaves no temp file', async () => {
    const file = path.join(dir, 'a', 'b', 'c.bin');
    expect(await writeFileAtomic(file, new Uint8Array([1, 2]))).toBe(true);
    expect(await writeFileAtomic(file, 'replaced')).toBe(true);
    expect(await readFile(file, 'utf8')).toBe('replaced');
    expect(await readdir(path.dirname(file))).toEqual(['c.bin']);
  });

  it('writes a durable temp file named by ATOMIC_WRITE_TEMP_PATTERN, and drops it when beforePublish declines', async () => {
    const file = path.join(dir, 'kept.arrow');
    await writeFile(file, 'old');
    let beforeRename: string[] = [];
    const published = await writeFileAtomic(file, 'new', {
      beforePublish: () => {
        beforeRename = readdirSync(dir).filter((name) => name !== 'kept.arrow');
        return false;
      },
    });
    expect(published).toBe(false);
    expect(beforeRename).toHaveLength(1);
    expect(beforeRename[0]).toMatch(ATOMIC_WRITE_TEMP_PATTERN);
    expect(await readFile(file, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['kept.arrow']);
    expect(['kept.arrow', 'kept.arrow.tmp-ab'].some((name) => ATOMIC_WRITE_TEMP_PATTERN.test(name))).toBe(false);
  });

  it('reports a failure as RT_WRITE_FAILED with the file system error as cause', async () => {
    const blocker = path.join(dir, 'not-a-dir');
    await writeFile(blocker, '');
    await expect(writeFileAtomic(path.join(blocker, 'y.bin'), 'y')).rejects.toMatchObject({ code: 'RT_WRITE_FAILED', cause: { code: 'EEXIST' } });
  });
});
