import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { assertLayoutsEqual, createParamLayout } from '../params/param-layout.js';
import { contentSha256, type ModelBundle, sha256Hex } from './model-bundle.js';
import { manifestHeaderSchema, manifestV1Schema, MODEL_DIR_FILES, MODEL_DIR_FORMAT, MODEL_DIR_FORMAT_VERSION, type ModelDirManifest } from './model-manifest.js';
import { decodeListHead } from '../list-head/list-head-codec.js';
import { PersistenceError } from './persistence-error.js';
import { decodeWeights } from './weights-codec.js';

/** A loaded model directory: the bundle plus the manifest it was verified against. */
export interface LoadedModelDir extends ModelBundle {
  readonly manifest: ModelDirManifest;
}

const REQUIRED = [MODEL_DIR_FILES.weights, MODEL_DIR_FILES.config, MODEL_DIR_FILES.vocabularies] as const;

async function readRequired(dir: string, name: string): Promise<Buffer> {
  try {
    return await readFile(path.join(dir, name));
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') {
      throw new PersistenceError('ML_PERSIST_FILE_MISSING', `${path.join(dir, name)} is missing`, { dir, file: name }, e);
    }
    throw new PersistenceError('ML_PERSIST_IO', `reading ${path.join(dir, name)} failed: ${(e as Error).message}`, { dir, file: name }, e);
  }
}

function parseJson(bytes: Buffer, file: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (e) {
    throw new PersistenceError('ML_PERSIST_NOT_JSON', `${file} is not valid JSON`, { file }, e);
  }
}

function parseManifest(raw: unknown): ModelDirManifest {
  const header = manifestHeaderSchema.safeParse(raw);
  if (!header.success || header.data.format !== MODEL_DIR_FORMAT) {
    throw new PersistenceError('ML_PERSIST_FORMAT_UNKNOWN', `manifest.json is not a ${MODEL_DIR_FORMAT} manifest`, { file: MODEL_DIR_FILES.manifest });
  }
  if (header.data.formatVersion !== MODEL_DIR_FORMAT_VERSION) {
    throw new PersistenceError(
      'ML_PERSIST_FORMAT_UNKNOWN',
      `manifest formatVersion ${header.data.formatVersion} is not supported (this code reads ${MODEL_DIR_FORMAT_VERSION})`,
      { file: MODEL_DIR_FILES.manifest, field: 'formatVersion', value: header.data.formatVersion },
    );
  }
  const parsed = manifestV1Schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PersistenceError('ML_PERSIST_MANIFEST_INVALID', `manifest.json: ${issue.path.join('.')}: ${issue.message}`, {
      file: MODEL_DIR_FILES.manifest,
      field: issue.path.join('.'),
    });
  }
  const m = parsed.data;
  for (const name of REQUIRED) {
    if (m.files[name] === undefined) {
      throw new PersistenceError('ML_PERSIST_MANIFEST_INVALID', `manifest.json does not list ${name}`, { file: MODEL_DIR_FILES.manifest, field: `files.${name}` });
    }
  }
  if (contentSha256(m.files) !== m.contentSha256) {
    throw new PersistenceError('ML_PERSIST_CHECKSUM_MISMATCH', 'manifest.json contentSha256 does not match its file list', {
      file: MODEL_DIR_FILES.manifest,
      field: 'contentSha256',
    });
  }
  return m as ModelDirManifest;
}

/** Reads every listed file and checks size then sha256 before anything is parsed. */
async function readVerified(dir: string, manifest: ModelDirManifest): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const [name, expected] of Object.entries(manifest.files)) {
    const bytes = await readRequired(dir, name);
    if (bytes.byteLength !== expected.bytes) {
      throw new PersistenceError('ML_PERSIST_SIZE_MISMATCH', `${name} has ${bytes.byteLength} bytes, manifest says ${expected.bytes}`, {
        file: name,
        expected: expected.bytes,
        actual: bytes.byteLength,
      });
    }
    const actual = sha256Hex(bytes);
    if (actual !== expected.sha256) {
      throw new PersistenceError('ML_PERSIST_CHECKSUM_MISMATCH', `${name} sha256 ${actual} differs from the manifest's ${expected.sha256}`, {
        file: name,
        expected: expected.sha256,
        actual,
      });
    }
    out.set(name, bytes);
  }
  return out;
}

function checkLayout(manifest: ModelDirManifest, weightBytes: number): void {
  try {
    assertLayoutsEqual(manifest.layout, createParamLayout(manifest.layout.entries), 'manifest layout');
  } catch (e) {
    throw new PersistenceError('ML_PERSIST_MANIFEST_INVALID', `manifest.json layout is inconsistent: ${(e as Error).message}`, { field: 'layout' }, e);
  }
  if (weightBytes !== manifest.layout.totalSize * 4) {
    throw new PersistenceError('ML_PERSIST_SIZE_MISMATCH', `weights.bin has ${weightBytes} bytes, the layout needs ${manifest.layout.totalSize * 4}`, {
      file: MODEL_DIR_FILES.weights,
    });
  }
}

/**
 * Loads a directory written by `saveModelDir`, verifying the manifest's format version, every
 * listed file's size and sha256, and the layout against `weights.bin`, before parsing anything.
 * `config`, `vocabularies` and `extra` come back as parsed JSON (`unknown`: validate them with
 * their owners' schemas).
 * @throws PersistenceError `ML_PERSIST_FILE_MISSING`, `ML_PERSIST_FORMAT_UNKNOWN`,
 * `ML_PERSIST_MANIFEST_INVALID`, `ML_PERSIST_SIZE_MISMATCH`, `ML_PERSIST_CHECKSUM_MISMATCH`, `ML_PERSIST_IO`.
 */
export async function loadModelDir(dir: string): Promise<LoadedModelDir> {
  const root = path.resolve(dir);
  const manifest = parseManifest(parseJson(await readRequired(root, MODEL_DIR_FILES.manifest), MODEL_DIR_FILES.manifest));
  const files = await readVerified(root, manifest);
  const weights = files.get(MODEL_DIR_FILES.weights) as Buffer;
  checkLayout(manifest, weights.byteLength);
  const json = (name: string): unknown => {
    const bytes = files.get(name);
    return bytes === undefined ? undefined : parseJson(bytes, name);
  };
  const extra = json(MODEL_DIR_FILES.extra);
  const headJson = json(MODEL_DIR_FILES.listHead);
  const headWeights = files.get(MODEL_DIR_FILES.listHeadWeights);
  if ((headJson === undefined) !== (headWeights === undefined)) {
    throw new PersistenceError('ML_PERSIST_MANIFEST_INVALID', `manifest.json lists only one of ${MODEL_DIR_FILES.listHead} and ${MODEL_DIR_FILES.listHeadWeights}`, {
      file: MODEL_DIR_FILES.manifest,
      field: 'files',
    });
  }
  const listHead = headJson === undefined || headWeights === undefined ? undefined : decodeListHead(headJson, headWeights);
  return {
    manifest,
    layout: manifest.layout,
    params: decodeWeights(weights),
    config: json(MODEL_DIR_FILES.config),
    vocabularies: json(MODEL_DIR_FILES.vocabularies),
    ...(extra === undefined ? {} : { extra }),
    ...(listHead === undefined ? {} : { listHead }),
  };
}
