import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { syncDirectory, writeFileDurably } from './durable-write.js';

describe('writeFileDurably', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'metarec-durable-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the bytes and replaces an existing file by default', async () => {
    const file = path.join(dir, 'a.bin');
    await writeFile(file, 'old contents');
    await writeFileDurably(file, new Uint8Array([1, 2, 3]));
    expect([...(await readFile(file))]).toEqual([1, 2, 3]);
    await syncDirectory(dir);
  });

  it('refuses to overwrite in exclusive mode', async () => {
    const file = path.join(dir, 'b.json');
    await writeFileDurably(file, '{}', { exclusive: true });
    await expect(writeFileDurably(file, '[]', { exclusive: true })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(file, 'utf8')).toBe('{}');
  });
});
