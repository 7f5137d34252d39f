import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { syncDirectory, writeFileAtomic } from '@metarec/runtime';

import { RegistryError } from '../errors.js';
import type { ArtifactCheck, ArtifactStore, PutStreamOptions, StoredArtifact } from './artifact-store.js';
import { SHA256_HEX } from './artifact-store.js';

/** Options of `DirectoryArtifactStore`. */
export interface DirectoryArtifactStoreOptions {
  /** Directory holding the blobs (`<root>/sha256/ab/abcdef…`); created on first write. */
  readonly root: string;
  /** Called when a read finds corrupt bytes (count it, alert on it). @defaultValue none */
  readonly onCorruption?: (sha256: string) => void;
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function assertAddress(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) {
    throw new RegistryError('REG_INVALID_INPUT', `invalid sha256 "${sha256}"`, { field: 'sha256' });
  }
}

/**
 * The default `ArtifactStore`: one file per blob under a directory, sharded by the first two hex
 * characters. Writes go to a temp file that is fsynced and renamed into place, so a crash never
 * leaves a partial blob under a valid address. Reads hash the whole file before returning it.
 */
export class DirectoryArtifactStore implements ArtifactStore {
  private readonly root: string;
  private readonly onCorruption: ((sha256: string) => void) | undefined;

  /** @throws RegistryError (`REG_OPTIONS_INVALID`) when `root` is empty. */
  constructor(options: DirectoryArtifactStoreOptions) {
    if (options.root.trim() === '') {
      throw new RegistryError('REG_OPTIONS_INVALID', 'DirectoryArtifactStore: root must not be empty', { field: 'root' });
    }
    this.root = options.root;
    this.onCorruption = options.onCorruption;
  }

  /** Path of a blob on disk (for operators and fault-injection tests). */
  pathOf(sha256: string): string {
    assertAddress(sha256);
    return join(this.root, 'sha256', sha256.slice(0, 2), sha256);
  }

  async put(bytes: Uint8Array, expectedSha256?: string): Promise<StoredArtifact> {
    const sha256 = sha256Of(bytes);
    if (expectedSha256 !== undefined && expectedSha256 !== sha256) {
      throw new RegistryError('REG_CHECKSUM_MISMATCH', `uploaded bytes hash to ${sha256}, not ${expectedSha256}`, {
        field: 'sha256',
        details: { expected: expectedSha256, actual: sha256 },
      });
    }
    const target = this.pathOf(sha256);
    if (await this.holdsIntact(target, sha256)) {
      return { sha256, bytes: bytes.length };
    }
    try {
      // Temp file, fsync, rename, directory fsync: a crash leaves the blob absent or whole, never torn.
      await writeFileAtomic(target, bytes);
    } catch (error) {
      throw new RegistryError('REG_INTERNAL', `could not store blob ${sha256}`, { cause: error });
    }
    return { sha256, bytes: bytes.length };
  }

  async putStream(source: AsyncIterable<Uint8Array>, options: PutStreamOptions): Promise<StoredArtifact> {
    const target = this.pathOf(options.expectedSha256);
    const dir = dirname(target);
    // Same hidden temp naming as writeFileAtomic, so a killed writer's leftovers look alike.
    const temp = join(dir, `.${options.expectedSha256}.tmp-${randomBytes(6).toString('hex')}`);
    let published = false;
    try {
      await mkdir(dir, { recursive: true });
      const hash = createHash('sha256');
      let bytes = 0;
      const handle = await open(temp, 'wx');
      try {
        const chunks = source[Symbol.asyncIterator]();
        for (;;) {
          const next = await chunks.next().catch((error: unknown) => {
            throw new RegistryError('REG_INVALID_INPUT', 'the upload ended before all its bytes arrived', { field: 'body', cause: error });
          });
          if (next.done === true) {
            break;
          }
          const chunk = next.value;
          bytes += chunk.length;
          if (bytes > options.maxBytes) {
            throw new RegistryError('REG_PAYLOAD_TOO_LARGE', `upload exceeds the limit of ${options.maxBytes} bytes`, { field: 'body', details: { maxBytes: options.maxBytes } });
          }
          hash.update(chunk);
          await handle.write(chunk);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      const sha256 = hash.digest('hex');
      if (sha256 !== options.expectedSha256) {
        throw new RegistryError('REG_CHECKSUM_MISMATCH', `uploaded bytes hash to ${sha256}, not ${options.expectedSha256}`, {
          field: 'sha256',
          details: { expected: options.expectedSha256, actual: sha256 },
        });
      }
      // Bytes already held intact stay; a corrupt copy is replaced (as in put).
      if (!(await this.holdsIntact(target, sha256))) {
        await rename(temp, target);
        await syncDirectory(dir);
        published = true;
      }
      return { sha256, bytes };
    } catch (error) {
      if (error instanceof RegistryError) {
        throw error;
      }
      throw new RegistryError('REG_INTERNAL', `could not store blob ${options.expectedSha256}`, { cause: error });
    } finally {
      if (!published) {
        await rm(temp, { force: true });
      }
    }
  }

  async stat(sha256: string): Promise<StoredArtifact | undefined> {
    const path = this.pathOf(sha256);
    try {
      const info = await stat(path);
      return { sha256, bytes: info.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw new RegistryError('REG_INTERNAL', `could not stat blob ${sha256}`, { cause: error });
    }
  }

  async get(sha256: string): Promise<Buffer> {
    const path = this.pathOf(sha256);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new RegistryError('REG_ARTIFACT_MISSING', `blob ${sha256} is not in the store`, { field: 'sha256', cause: error });
      }
      throw new RegistryError('REG_INTERNAL', `could not read blob ${sha256}`, { cause: error });
    }
    const actual = sha256Of(bytes);
    if (actual !== sha256) {
      this.onCorruption?.(sha256);
      throw new RegistryError('REG_ARTIFACT_CORRUPT', `blob ${sha256} is corrupt on disk (its bytes hash to ${actual}); refusing to serve it`, {
        // No path: error bodies reach unauthenticated readers; operators find it with pathOf().
        details: { sha256, actual },
      });
    }
    return bytes;
  }

  async check(sha256: string): Promise<ArtifactCheck> {
    const path = this.pathOf(sha256);
    try {
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(path)) {
        hash.update(chunk as Buffer);
      }
      if (hash.digest('hex') === sha256) {
        return 'intact';
      }
      this.onCorruption?.(sha256);
      return 'corrupt';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return 'missing';
      }
      throw new RegistryError('REG_INTERNAL', `could not read blob ${sha256}`, { cause: error });
    }
  }

  async ping(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await access(this.root);
  }

  private async holdsIntact(path: string, sha256: string): Promise<boolean> {
    try {
      // Streamed: a held blob may be as large as the upload limit.
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(path)) {
        hash.update(chunk as Buffer);
      }
      return hash.digest('hex') === sha256;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return false;
      }
      throw new RegistryError('REG_INTERNAL', `could not read blob ${sha256}`, { cause: error });
    }
  }
}
