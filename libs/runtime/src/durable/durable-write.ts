import { open } from 'node:fs/promises';

/** Options of {@link writeFileDurably}. */
export interface WriteFileDurablyOptions {
  /**
   * Fail with `EEXIST` instead of truncating an existing file (for writers that own a fresh temp directory).
   * @defaultValue false
   */
  readonly exclusive?: boolean;
}

/**
 * Writes `bytes` to `file` and fsyncs it before returning, so a rename that publishes the file (or its
 * directory) after a crash never exposes an empty or partial file.
 */
export async function writeFileDurably(file: string, bytes: Uint8Array | string, options: WriteFileDurablyOptions = {}): Promise<void> {
  const handle = await open(file, options.exclusive === true ? 'wx' : 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Fsyncs a directory, making the renames and creations inside it durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
