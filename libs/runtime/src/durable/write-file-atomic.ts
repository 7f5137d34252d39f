import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { RuntimeError } from '../errors.js';

import { syncDirectory, writeFileDurably } from './durable-write.js';

/** Options of {@link writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /**
   * Called after the temp file is durable and just before the rename that publishes it; returning
   * false abandons the write (the temp file is removed) and `writeFileAtomic` resolves false.
   * The feature store's ingest uses it to drop a file of a partition revoked mid-flush.
   * @defaultValue always publish
   */
  readonly beforePublish?: () => boolean;
}

/** Bytes of randomness in a temp file's name: two writers of one path never share a temp file. */
const TEMP_SUFFIX_BYTES = 6;

/** Names of {@link writeFileAtomic}'s temp files (`.<name>.tmp-<hex>`): hidden from readers, and old ones are a killed writer's leftovers. */
export const ATOMIC_WRITE_TEMP_PATTERN = /^\..+\.tmp-[0-9a-f]+$/;

/** mkdir -p, then fsync the parent of every directory created so the new entries survive a power loss. */
async function ensureDirectoryDurably(dir: string): Promise<void> {
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
    await syncDirectory(path);
  }
}

/**
 * Writes `bytes` to `path` so that after a crash the file is either absent, the old one, or complete:
 * create the directory (durably), write a temp file (`.<name>.tmp-<hex>` in the same directory, see
 * {@link ATOMIC_WRITE_TEMP_PATTERN}) and fsync it, rename it over `path`, fsync the directory.
 * Resolves true once published and durable, false when `beforePublish` declined.
 * @throws RuntimeError `RT_WRITE_FAILED`, with the file system error as `cause` (the temp file is removed;
 *   if that fails too, the message names it and `cause` holds both errors).
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string, options: WriteFileAtomicOptions = {}): Promise<boolean> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.tmp-${randomBytes(TEMP_SUFFIX_BYTES).toString('hex')}`);
  let directoryReady = false;
  try {
    await ensureDirectoryDurably(dir);
    directoryReady = true;
    await writeFileDurably(temp, bytes, { exclusive: true });
    if (options.beforePublish !== undefined && !options.beforePublish()) {
      await rm(temp, { force: true });
      return false;
    }
    await rename(temp, path);
    await syncDirectory(dir);
    return true;
  } catch (error) {
    if (!directoryReady) {
      throw new RuntimeError('RT_WRITE_FAILED', `cannot write ${path}: cannot create ${dir}`, { cause: error });
    }
    await rm(temp, { force: true }).catch((cleanup: unknown) => {
      throw new RuntimeError('RT_WRITE_FAILED', `cannot write ${path}; temp ${temp} left behind`, { cause: [error, cleanup] });
    });
    throw new RuntimeError('RT_WRITE_FAILED', `cannot write ${path}`, { cause: error });
  }
}
