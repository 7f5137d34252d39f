import type { BundleManifest } from '../manifest/bundle-manifest.js';

/**
 * Where an exporter reads a version from: the registry in-process (`ModelRegistry`) or over
 * HTTP (`RegistryClient`). Both verify every file against its sha256 before returning it.
 */
export interface BundleSource {
  /** The manifest of `model`'s version `ref` (a number or an alias). */
  resolveManifest(model: string, ref: string): Promise<{ readonly version: number; readonly manifest: BundleManifest }>;
  /** One file's bytes by sha256, verified. */
  readBlob(sha256: string): Promise<Buffer>;
}
