import { createHash } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';

import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { RegistryError } from '../errors.js';
import { BUNDLE_MANIFEST_FILE, parseBundleManifest } from '../manifest/bundle-manifest.js';
import { validateBundlePath } from '../names/validate-name.js';
import type { ModelRegistry, RegisterVersionResult } from '../registry/model-registry.js';

/** Options of `importBundleDir`. */
export interface ImportBundleDirOptions {
  readonly registry: ModelRegistry;
  readonly store: ArtifactStore;
  /** Directory the server may import from (a volume the trainer writes to); configured, never from a client. */
  readonly root: string;
  /** Bundle directory relative to `root`, as the client sent it. */
  readonly path: string;
  readonly model: string;
  readonly actor: string;
  /** Expected version number (idempotent retry). @defaultValue the next number */
  readonly version?: number;
}

async function insideRoot(root: string, candidate: string, field: string): Promise<string> {
  let resolved: string;
  try {
    resolved = await realpath(candidate);
  } catch (error) {
    throw new RegistryError('REG_ARTIFACT_MISSING', `${field} does not exist under the import root`, { field, cause: error });
  }
  // realpath resolves symlinks: a link inside the root pointing elsewhere is refused here.
  if (resolved !== root && !resolved.startsWith(root + sep)) {
    throw new RegistryError('REG_INVALID_NAME', `${field} leaves the import root`, { field });
  }
  return resolved;
}

/**
 * Registers a bundle directory the trainer wrote on a volume the registry can read (no upload):
 * the client names it by a path relative to the configured root, which is validated (relative,
 * no `..`, no absolute path) and resolved through symlinks before anything is read; each file is
 * checked against the manifest's sha256 and size, stored, then the version registered.
 * @throws RegistryError `REG_INVALID_NAME` (field `path` or the file's path), `REG_ARTIFACT_MISSING`, `REG_CHECKSUM_MISMATCH`, `REG_MANIFEST_INVALID`, and those of `registerVersion`.
 */
export async function importBundleDir(options: ImportBundleDirOptions): Promise<RegisterVersionResult> {
  validateBundlePath(options.path, 'path');
  const root = await realpath(options.root);
  const dir = await insideRoot(root, join(root, options.path), 'path');
  const manifestPath = await insideRoot(root, join(dir, BUNDLE_MANIFEST_FILE), 'path');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (error) {
    throw new RegistryError('REG_MANIFEST_INVALID', `${options.path}/${BUNDLE_MANIFEST_FILE} is not JSON`, { field: 'path', cause: error });
  }
  const manifest = parseBundleManifest(json);
  for (const file of manifest.files) {
    const bytes = await readFile(await insideRoot(root, join(dir, file.path), file.path));
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== file.sha256 || bytes.length !== file.bytes) {
      throw new RegistryError('REG_CHECKSUM_MISMATCH', `${options.path}/${file.path} does not match its manifest entry`, { field: file.path });
    }
    await options.store.put(bytes, file.sha256);
  }
  return options.registry.registerVersion({ model: options.model, manifest, actor: options.actor, ...(options.version === undefined ? {} : { version: options.version }) });
}
