import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';

import { RegistryError } from '../errors.js';
import { validateBundlePath } from '../names/validate-name.js';
import {
  BUNDLE_MANIFEST_FILE,
  BUNDLE_MANIFEST_VERSION,
  type BundleLineage,
  type BundleManifest,
  type BundleMetrics,
  parseBundleManifest,
} from './bundle-manifest.js';

/** What a producer knows about a bundle besides its files. */
export interface WriteBundleManifestOptions {
  /** Directory holding the model files (e.g. what `saveModelDir` wrote, plus `report.html`). */
  readonly dir: string;
  /** The model library's format id, e.g. `metarec-model-dir/1`. */
  readonly format: string;
  readonly schemaFingerprint: string;
  readonly lineage: BundleLineage;
  /** @defaultValue none */
  readonly metrics?: BundleMetrics;
  /** @defaultValue `{}` */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Media types served for files the web page links (the report), by extension. */
const CONTENT_TYPES: Readonly<Record<string, string>> = { '.html': 'text/html', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };

async function listFiles(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      files.push(...(await listFiles(root, full)));
    } else if (entry.isFile()) {
      files.push(relative(root, full).split(sep).join('/'));
    } else {
      throw new RegistryError('REG_INVALID_NAME', `${relative(root, full)} is neither a file nor a directory (symlinks are not bundled)`, { field: 'dir' });
    }
  }
  return files;
}

/**
 * Writes `bundle-manifest.json` for a directory the trainer produced: lists every file (except
 * the manifest itself) with its sha256, size and media type, adds fingerprint, metrics and
 * lineage, validates the result and returns it. The directory is then ready for
 * `RegistryClient.registerBundleDir` (upload) or `importBundle` (server-side path).
 * @throws RegistryError `REG_INVALID_NAME` (a file name the registry refuses), `REG_MANIFEST_INVALID`.
 */
export async function writeBundleManifest(options: WriteBundleManifestOptions): Promise<BundleManifest> {
  const paths = (await listFiles(options.dir, options.dir)).filter((path) => path !== BUNDLE_MANIFEST_FILE);
  const files = [];
  for (const path of paths) {
    validateBundlePath(path, 'dir');
    const bytes = await readFile(join(options.dir, path));
    const contentType = CONTENT_TYPES[extname(path).toLowerCase()];
    // HTML is the evaluation report: people read it in the registry, pods never load it.
    const purpose = contentType === 'text/html' ? 'report' : 'serving';
    files.push({ path, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, ...(contentType === undefined ? {} : { contentType }), purpose });
  }
  const manifest = parseBundleManifest({
    manifestVersion: BUNDLE_MANIFEST_VERSION,
    format: options.format,
    schemaFingerprint: options.schemaFingerprint,
    files,
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    lineage: options.lineage,
    labels: options.labels ?? {},
  });
  await writeFile(join(options.dir, BUNDLE_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
