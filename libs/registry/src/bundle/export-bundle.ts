import { createHash } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

import { RegistryError } from '../errors.js';
import { BUNDLE_MANIFEST_FILE, type BundleFilePurpose, type BundleManifest } from '../manifest/bundle-manifest.js';
import { validateBundlePath } from '../names/validate-name.js';
import type { BundleSource } from './bundle-source.js';
import { writeTar } from './tar-writer.js';

/** Options of `exportBundle`. */
export interface ExportBundleOptions {
  readonly source: BundleSource;
  readonly model: string;
  /** Version number or alias (`'3'`, `'production'`). */
  readonly ref: string;
  /** Directory to create with the bundle's files and `bundle-manifest.json`; must not exist. */
  readonly outDir: string;
  /** Also write a gzipped tarball of the same files here. @defaultValue none */
  readonly tarballPath?: string;
  /** Which files to include. @defaultValue `['serving']` (what a pod needs and nothing else) */
  readonly purposes?: readonly BundleFilePurpose[];
}

/** What `exportBundle` wrote. */
export interface ExportBundleResult {
  readonly version: number;
  readonly manifest: BundleManifest;
  readonly dir: string;
  /** Sum of the files' sizes (without the manifest), bytes. */
  readonly bytes: number;
  readonly tarball: { readonly path: string; readonly bytes: number; readonly sha256: string } | undefined;
}

/** A version's files, each verified against the manifest, plus the manifest's own bytes. */
export interface CollectedBundle {
  readonly version: number;
  readonly manifest: BundleManifest;
  readonly manifestBytes: Buffer;
  readonly entries: readonly { readonly path: string; readonly bytes: Buffer }[];
}

/**
 * Reads the files of `model@ref` whose purpose is in `purposes` (default: serving only) from `source` and checks each against the manifest's sha256
 * and size (end to end: a source that verified on its side is checked again here).
 * @throws RegistryError `REG_CHECKSUM_MISMATCH` (field = path), `REG_ARTIFACT_CORRUPT` from the source.
 */
export async function collectBundle(source: BundleSource, model: string, ref: string, purposes: readonly BundleFilePurpose[] = ['serving']): Promise<CollectedBundle> {
  const { version, manifest: registered } = await source.resolveManifest(model, ref);
  // The exported manifest lists exactly the exported files, so loadBundle checks them all.
  const manifest: BundleManifest = { ...registered, files: registered.files.filter((file) => purposes.includes(file.purpose)) };
  const entries: { path: string; bytes: Buffer }[] = [];
  for (const file of manifest.files) {
    validateBundlePath(file.path);
    const bytes = await source.readBlob(file.sha256);
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== file.sha256 || bytes.length !== file.bytes) {
      throw new RegistryError('REG_CHECKSUM_MISMATCH', `file "${file.path}" arrived with sha256 ${actual} (${bytes.length} bytes), manifest says ${file.sha256} (${file.bytes} bytes)`, { field: file.path });
    }
    entries.push({ path: file.path, bytes });
  }
  return { version, manifest, manifestBytes: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), entries };
}

/** A deterministic gzipped ustar archive of a collected bundle, manifest first. */
export async function bundleTarball(bundle: CollectedBundle): Promise<Buffer> {
  return gzipSync(await writeTar([{ path: BUNDLE_MANIFEST_FILE, bytes: bundle.manifestBytes }, ...bundle.entries]));
}

/**
 * Writes what a serving pod needs and nothing else: every file of the version (each verified
 * against its sha256 on the way out) plus `bundle-manifest.json`, into a fresh directory that is
 * renamed into place only when complete; optionally a deterministic `.tar.gz` of the same.
 *
 * @throws RegistryError `REG_ARTIFACT_CORRUPT` / `REG_CHECKSUM_MISMATCH` (nothing is left behind), `REG_INVALID_INPUT` (field `outDir`: exists).
 */
export async function exportBundle(options: ExportBundleOptions): Promise<ExportBundleResult> {
  const bundle = await collectBundle(options.source, options.model, options.ref, options.purposes);
  const dir = resolve(options.outDir);
  const staging = `${dir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    for (const entry of bundle.entries) {
      await mkdir(dirname(join(staging, entry.path)), { recursive: true });
      await writeFile(join(staging, entry.path), entry.bytes);
    }
    await writeFile(join(staging, BUNDLE_MANIFEST_FILE), bundle.manifestBytes);
    try {
      await rename(staging, dir);
    } catch (error) {
      throw new RegistryError('REG_INVALID_INPUT', `cannot create ${dir}: ${(error as Error).message}`, { field: 'outDir', cause: error });
    }
    let tarball: ExportBundleResult['tarball'];
    if (options.tarballPath !== undefined) {
      const gz = await bundleTarball(bundle);
      await writeFile(options.tarballPath, gz);
      tarball = { path: options.tarballPath, bytes: gz.length, sha256: createHash('sha256').update(gz).digest('hex') };
    }
    return {
      version: bundle.version,
      manifest: bundle.manifest,
      dir,
      bytes: bundle.entries.reduce((sum, e) => sum + e.bytes.length, 0),
      tarball,
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
