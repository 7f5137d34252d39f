import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { FeatureStoreError } from '../errors.js';

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /**
   * Called after the temp file is durable and just before the rename that publishes it; returning
   * false abandons the write (the temp file is removed) and `writeFileAtomic` resolves false.
   * The ingest pipeline uses it to drop a file of a partition revoked mid-flush.
   * @defaultValue always publish
   */
  readonly beforePublish?: () => boolean;
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** mkdir -p, then fsync the parent of every directory created so the new entries survive a power loss. */
async function ensureDir(dir: string): Promise<void> {
  const created = await mkdir(dir, { recursive: true });
  if (created === undefined) {
    return;
  }
  let current = dir;
  const toSync: string[] = [];
  while (current.length >= created.length) {
    toSync.push(dirname(current));
    current = dirname(current);
  }
  for (const path of toSync) {
    await fsyncPath(path);
  }
}

/**
 * Writes `bytes` to `path` so that after a crash the file is either absent or complete: write a
 * temp file (`.<name>.tmp-<random>` in the same directory, which readers ignore), fsync it,
 * rename it over `path`, fsync the directory. Resolves true once published and durable.
 * @throws FeatureStoreError `FS_WRITE_FAILED`, with the file system error as `cause`.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array, options: AtomicWriteOptions = {}): Promise<boolean> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
  try {
    await ensureDir(dir);
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.beforePublish !== undefined && !options.beforePublish()) {
      await rm(temp, { force: true });
      return false;
    }
    await rename(temp, path);
    await fsyncPath(dir);
    return true;
  } catch (error) {
    await rm(temp, { force: true }).catch((cleanup: unknown) => {
      throw new FeatureStoreError('FS_WRITE_FAILED', `cannot write ${path}; temp ${temp} left behind`, { cause: [error, cleanup] });
    });
    throw new FeatureStoreError('FS_WRITE_FAILED', `cannot write ${path}`, { cause: error });
  }
}
