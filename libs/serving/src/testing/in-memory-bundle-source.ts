import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { BUNDLE_MANIFEST_FILE, parseBundleManifest, type BundleManifest, type BundleSource } from '@metarec/registry';

/**
 * A `BundleSource` holding bundle directories in memory by version, with movable aliases: the
 * registry's read contract without PostgreSQL. Blobs are stored as given, so a test can register
 * a corrupt file and see serving refuse it.
 */
export class InMemoryBundleSource implements BundleSource {
  private readonly versions = new Map<number, BundleManifest>();
  private readonly blobs = new Map<string, Buffer>();
  private readonly aliases = new Map<string, number>();

  /** Registers the bundle directory `dir` (with its `bundle-manifest.json`) as `version`. */
  async register(version: number, dir: string, corrupt?: { readonly file: string }): Promise<void> {
    const manifest = parseBundleManifest(JSON.parse(await readFile(path.join(dir, BUNDLE_MANIFEST_FILE), 'utf8')) as unknown);
    for (const file of manifest.files) {
      const bytes = await readFile(path.join(dir, file.path));
      if (corrupt?.file === file.path) {
        bytes[bytes.length - 1] ^= 0xff;
      }
      this.blobs.set(file.sha256, bytes);
    }
    this.versions.set(version, manifest);
  }

  /** Points `alias` at `version`. */
  move(alias: string, version: number): void {
    this.aliases.set(alias, version);
  }

  async resolveManifest(_model: string, ref: string): Promise<{ version: number; manifest: BundleManifest }> {
    const version = /^\d+$/.test(ref) ? Number(ref) : this.aliases.get(ref);
    const manifest = version === undefined ? undefined : this.versions.get(version);
    if (version === undefined || manifest === undefined) {
      throw new Error(`no version behind "${ref}"`);
    }
    return { version, manifest };
  }

  async readBlob(sha256: string): Promise<Buffer> {
    const bytes = this.blobs.get(sha256);
    if (bytes === undefined) {
      throw new Error(`no blob ${sha256}`);
    }
    // Like a store that does not verify on read: the client's end-to-end check must catch it.
    return bytes;
  }
}
