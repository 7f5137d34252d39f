import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { RegistryError } from '../errors.js';
import { BUNDLE_MANIFEST_FILE, type BundleManifest, parseBundleManifest } from '../manifest/bundle-manifest.js';

/** Options of `loadBundle`. */
export interface LoadBundleOptions {
  /** Bundle directory (as written by `exportBundle`). */
  readonly dir: string;
  /**
   * Schema fingerprints the caller's feature pipeline can read. A bundle trained on any other
   * schema is refused before its weights are touched: it would silently mis-map features.
   */
  readonly readableFingerprints: ReadonlySet<string>;
}

/** A verified bundle: its manifest and each file's bytes by path. */
export interface LoadedBundle {
  readonly dir: string;
  readonly manifest: BundleManifest;
  readonly files: ReadonlyMap<string, Buffer>;
}

/**
 * Opens an exported bundle for serving: parses `bundle-manifest.json`, refuses an unreadable
 * schema fingerprint, and verifies every file's size and sha256.
 * @throws RegistryError `REG_MANIFEST_INVALID`, `REG_BUNDLE_UNREADABLE` (field `schemaFingerprint`), `REG_ARTIFACT_MISSING` / `REG_CHECKSUM_MISMATCH` (field = the file's path).
 */
export async function loadBundle(options: LoadBundleOptions): Promise<LoadedBundle> {
  const dir = resolve(options.dir);
  let raw: string;
  try {
    raw = await readFile(join(dir, BUNDLE_MANIFEST_FILE), 'utf8');
  } catch (error) {
    throw new RegistryError('REG_ARTIFACT_MISSING', `${dir} has no ${BUNDLE_MANIFEST_FILE}`, { field: BUNDLE_MANIFEST_FILE, cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new RegistryError('REG_MANIFEST_INVALID', `${BUNDLE_MANIFEST_FILE} is not JSON`, { field: BUNDLE_MANIFEST_FILE, cause: error });
  }
  const manifest = parseBundleManifest(json);
  if (!options.readableFingerprints.has(manifest.schemaFingerprint)) {
    throw new RegistryError('REG_BUNDLE_UNREADABLE', `bundle schema fingerprint "${manifest.schemaFingerprint}" is not readable here (readable: ${[...options.readableFingerprints].join(', ') || 'none'})`, {
      field: 'schemaFingerprint',
      details: { fingerprint: manifest.schemaFingerprint, readable: [...options.readableFingerprints] },
    });
  }
  const files = new Map<string, Buffer>();
  for (const file of manifest.files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, file.path));
    } catch (error) {
      throw new RegistryError('REG_ARTIFACT_MISSING', `bundle file "${file.path}" is missing`, { field: file.path, cause: error });
    }
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (bytes.length !== file.bytes || actual !== file.sha256) {
      throw new RegistryError('REG_CHECKSUM_MISMATCH', `bundle file "${file.path}" does not match its manifest (sha256 ${actual}, ${bytes.length} bytes)`, { field: file.path });
    }
    files.set(file.path, bytes);
  }
  return { dir, manifest, files };
}
