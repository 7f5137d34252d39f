import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

import { syncDirectory, writeFileDurably } from '@metarec/runtime';

import { assertFlatSize, createParamLayout, assertLayoutsEqual } from '../params/param-layout.js';
import { contentSha256, type ModelBundle, sha256Hex } from './model-bundle.js';
import { type ManifestFile, MODEL_DIR_FILES, MODEL_DIR_FORMAT, MODEL_DIR_FORMAT_VERSION, type ModelDirManifest } from './model-manifest.js';
import { encodeListHead } from '../list-head/list-head-codec.js';
import { PersistenceError } from './persistence-error.js';
import { buildTfjsModelJson } from './tfjs-model-json.js';
import { encodeWeights } from './weights-codec.js';

/** Options of {@link saveModelDir}. */
export interface SaveModelDirOptions {
  /**
   * Replace an existing directory. The new one is complete before the swap; between the two
   * renames the path briefly does not exist (a reader then gets `ML_PERSIST_FILE_MISSING`).
   * @defaultValue false
   */
  readonly overwrite?: boolean;
}

function toJson(value: unknown, file: string): string {
  const text = JSON.stringify(value ?? null, null, 2);
  if (typeof text !== 'string') {
    throw new PersistenceError('ML_PERSIST_NOT_JSON', `${file}: value is not JSON-serialisable`, { file });
  }
  return text + '\n';
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    (e: unknown) => {
      if ((e as { code?: string }).code === 'ENOENT') {
        return false;
      }
      throw e;
    },
  );
}

/** Renames `tmp` to `target`; an existing `target` (overwrite) moves to `old` first and comes back if the swap fails. */
async function swapInto(tmp: string, target: string, old: string, overwrite: boolean): Promise<void> {
  const replacing = overwrite && (await exists(target));
  if (replacing) {
    await rename(target, old);
  }
  try {
    await rename(tmp, target);
  } catch (e) {
    if (replacing) {
      await rename(old, target);
    }
    throw e;
  }
  await syncDirectory(path.dirname(target));
  if (replacing) {
    await rm(old, { recursive: true, force: true });
  }
}

function contents(bundle: ModelBundle): Map<string, Uint8Array | string> {
  const files = new Map<string, Uint8Array | string>([
    [MODEL_DIR_FILES.weights, encodeWeights(bundle.params)],
    [MODEL_DIR_FILES.config, toJson(bundle.config, MODEL_DIR_FILES.config)],
    [MODEL_DIR_FILES.vocabularies, toJson(bundle.vocabularies, MODEL_DIR_FILES.vocabularies)],
    [MODEL_DIR_FILES.tfjsModel, toJson(buildTfjsModelJson(bundle.layout, bundle.config), MODEL_DIR_FILES.tfjsModel)],
  ]);
  if (bundle.extra !== undefined) {
    files.set(MODEL_DIR_FILES.extra, toJson(bundle.extra, MODEL_DIR_FILES.extra));
  }
  if (bundle.listHead !== undefined) {
    const encoded = encodeListHead(bundle.listHead.head, bundle.listHead.evidence);
    files.set(MODEL_DIR_FILES.listHead, toJson(encoded.json, MODEL_DIR_FILES.listHead));
    files.set(MODEL_DIR_FILES.listHeadWeights, encoded.weights);
  }
  return files;
}

function manifestFor(bundle: ModelBundle, files: Map<string, Uint8Array | string>): ModelDirManifest {
  const listed: Record<string, ManifestFile> = {};
  for (const [name, bytes] of files) {
    listed[name] = { sha256: sha256Hex(bytes), bytes: typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength };
  }
  return {
    format: MODEL_DIR_FORMAT,
    formatVersion: MODEL_DIR_FORMAT_VERSION,
    weights: { file: MODEL_DIR_FILES.weights, dtype: 'float32', byteOrder: 'little-endian' },
    layout: { entries: bundle.layout.entries.map((e) => ({ ...e, shape: [...e.shape] })), totalSize: bundle.layout.totalSize },
    files: listed,
    contentSha256: contentSha256(listed),
  };
}

/**
 * Saves `bundle` to the directory `dir` (see FORMAT.md): `weights.bin` (float32 LE),
 * `config.json`, `vocabularies.json`, optional `extra.json` and list head, a tf.io `model.json`, and
 * `manifest.json` with the layout and every file's sha256 and size. Written into a
 * sibling temp directory, fsynced, then renamed into place, so `dir` is either absent,
 * the old bundle or the complete new one.
 * @returns the manifest written.
 * @throws PersistenceError `ML_PERSIST_EXISTS` (dir exists, no `overwrite`), `ML_PERSIST_NOT_JSON`,
 * `ML_PERSIST_IO` (filesystem failure, cause attached); MetaLearningError `ML_SIZE_MISMATCH` /
 * `ML_LAYOUT_INVALID` when params and layout disagree.
 */
export async function saveModelDir(dir: string, bundle: ModelBundle, options: SaveModelDirOptions = {}): Promise<ModelDirManifest> {
  assertFlatSize(bundle.layout, bundle.params);
  // Re-derive offsets from names and shapes: a hand-made layout with gaps is rejected here, not at load.
  assertLayoutsEqual(bundle.layout, createParamLayout(bundle.layout.entries), 'layout');
  const target = path.resolve(dir);
  if (!options.overwrite && (await exists(target))) {
    throw new PersistenceError('ML_PERSIST_EXISTS', `${target} already exists (pass overwrite: true to replace it)`, { dir: target });
  }
  const files = contents(bundle);
  const manifest = manifestFor(bundle, files);
  const parent = path.dirname(target);
  const tag = `${process.pid}-${randomUUID()}`;
  const tmp = path.join(parent, `.${path.basename(target)}.tmp-${tag}`);
  const old = path.join(parent, `.${path.basename(target)}.old-${tag}`);
  try {
    await mkdir(parent, { recursive: true });
    await mkdir(tmp);
    for (const [name, bytes] of files) {
      await writeFileDurably(path.join(tmp, name), bytes, { exclusive: true });
    }
    await writeFileDurably(path.join(tmp, MODEL_DIR_FILES.manifest), toJson(manifest, MODEL_DIR_FILES.manifest), { exclusive: true });
    await syncDirectory(tmp);
    await swapInto(tmp, target, old, options.overwrite === true);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    if (e instanceof PersistenceError) {
      throw e;
    }
    throw new PersistenceError('ML_PERSIST_IO', `saving model directory ${target} failed: ${(e as Error).message}`, { dir: target }, e);
  }
  return manifest;
}
