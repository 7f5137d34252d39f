import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createParamLayout } from '../params/param-layout.js';
import { loadModelDir } from './load-model-dir.js';
import type { ModelBundle } from './model-bundle.js';
import { PersistenceError } from './persistence-error.js';
import { saveModelDir } from './save-model-dir.js';

const layout = createParamLayout([
  { name: 'emb/table', shape: [10, 4] },
  { name: 'mlp/w0', shape: [4, 3] },
  { name: 'mlp/b0', shape: [3] },
  { name: 'lr/scalar', shape: [] },
]);

function bundle(seed = 1): ModelBundle {
  const params = Float32Array.from({ length: layout.totalSize }, (_, k) => Math.sin(k * seed) * 1e3 + (k % 7) * 1e-7);
  params[0] = -0; // byte-exact round trip, including signed zero and extremes
  params[1] = 3.4028234663852886e38;
  params[2] = 1.401298464324817e-45;
  return {
    layout,
    params,
    config: { embeddingDim: 4, hidden: [3], activation: 'relu' },
    vocabularies: { genre: ['Action', 'Comédie', '日本'] },
    extra: { metrics: { mae: 0.8 } },
  };
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PersistenceError);
  return (e as PersistenceError).code;
}

describe('saveModelDir / loadModelDir', () => {
  let root: string;
  let dir: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'metarec-modeldir-'));
    dir = path.join(root, 'nested', 'model-v1');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('round-trips params bit for bit, layout, config, vocabularies and extra', async () => {
    const b = bundle();
    const manifest = await saveModelDir(dir, b);
    const loaded = await loadModelDir(dir);
    expect(Buffer.from(loaded.params.buffer).equals(Buffer.from(b.params.buffer))).toBe(true);
    expect(Object.is(loaded.params[0], -0)).toBe(true);
    expect(loaded.layout).toEqual(layout);
    expect(loaded.config).toEqual(b.config);
    expect(loaded.vocabularies).toEqual(b.vocabularies);
    expect(loaded.extra).toEqual(b.extra);
    expect(loaded.manifest).toEqual(manifest);
    expect((await readdir(dir)).sort()).toEqual(['config.json', 'extra.json', 'manifest.json', 'model.json', 'vocabularies.json', 'weights.bin']);
    expect(await readdir(path.dirname(dir))).toEqual(['model-v1']); // no temp dir left behind
  });

  it('writes weights.bin as little-endian float32 in layout order', async () => {
    const b = bundle();
    await saveModelDir(dir, b);
    const bytes = await readFile(path.join(dir, 'weights.bin'));
    expect(bytes.byteLength).toBe(layout.totalSize * 4);
    const last = layout.entries[3];
    expect(bytes.readFloatLE(last.offset * 4)).toBe(b.params[last.offset]);
    expect(bytes.readFloatLE(5 * 4)).toBe(b.params[5]);
  });

  it('writes a model.json whose tf.io weights manifest decodes to the same named tensors', async () => {
    const b = bundle();
    await saveModelDir(dir, b);
    const modelJson = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
    // What a tf.io file handler (tfjs-node's tf.io.fileSystem) does: read each path of the weights manifest.
    const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (wm) => {
      const buffers = await Promise.all(wm[0].paths.map((p) => readFile(path.join(dir, p))));
      const data = Buffer.concat(buffers);
      return [wm[0].weights, data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)];
    });
    const tensors = tf.io.decodeWeights(artifacts.weightData as ArrayBuffer, artifacts.weightSpecs ?? []);
    for (const e of layout.entries) {
      expect(tensors[e.name].shape).toEqual(e.shape);
      expect(Array.from(tensors[e.name].dataSync())).toEqual(Array.from(b.params.subarray(e.offset, e.offset + e.size)));
    }
    expect(modelJson.modelTopology).toMatchObject({ metarec: { formatVersion: 1, config: b.config } });
    tf.dispose(Object.values(tensors));
  });

  it('refuses to overwrite unless asked, then replaces atomically', async () => {
    await saveModelDir(dir, bundle(1));
    expect(await codeOf(saveModelDir(dir, bundle(2)))).toBe('ML_PERSIST_EXISTS');
    await saveModelDir(dir, bundle(2), { overwrite: true });
    const loaded = await loadModelDir(dir);
    expect(Array.from(loaded.params.subarray(3, 10))).toEqual(Array.from(bundle(2).params.subarray(3, 10)));
    expect(await readdir(path.dirname(dir))).toEqual(['model-v1']);
  });

  it('rejects a flipped byte in weights.bin with ML_PERSIST_CHECKSUM_MISMATCH naming the file', async () => {
    await saveModelDir(dir, bundle());
    const file = path.join(dir, 'weights.bin');
    const bytes = await readFile(file);
    bytes[17] ^= 0x01;
    await writeFile(file, bytes);
    const err = await loadModelDir(dir).catch((e: unknown) => e as PersistenceError);
    expect(err).toMatchObject({ code: 'ML_PERSIST_CHECKSUM_MISMATCH', details: { file: 'weights.bin' } });
  });

  it('rejects an edited config.json (same length) and a truncated vocabularies.json', async () => {
    await saveModelDir(dir, bundle());
    const config = path.join(dir, 'config.json');
    await writeFile(config, (await readFile(config, 'utf8')).replace('relu', 'tanh'));
    expect(await codeOf(loadModelDir(dir))).toBe('ML_PERSIST_CHECKSUM_MISMATCH');
    await saveModelDir(dir, bundle(), { overwrite: true });
    const vocab = path.join(dir, 'vocabularies.json');
    await writeFile(vocab, (await readFile(vocab)).subarray(0, 10));
    expect(await codeOf(loadModelDir(dir))).toBe('ML_PERSIST_SIZE_MISMATCH');
  });

  it('reports a missing file, a missing manifest and a missing directory as ML_PERSIST_FILE_MISSING', async () => {
    await saveModelDir(dir, bundle());
    await unlink(path.join(dir, 'extra.json'));
    expect(await loadModelDir(dir).catch((e: unknown) => e)).toMatchObject({ code: 'ML_PERSIST_FILE_MISSING', details: { file: 'extra.json' } });
    await unlink(path.join(dir, 'manifest.json'));
    expect(await codeOf(loadModelDir(dir))).toBe('ML_PERSIST_FILE_MISSING');
    expect(await codeOf(loadModelDir(path.join(root, 'nope')))).toBe('ML_PERSIST_FILE_MISSING');
  });

  it('rejects an unknown format version and a foreign manifest with ML_PERSIST_FORMAT_UNKNOWN', async () => {
    await saveModelDir(dir, bundle());
    const file = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...manifest, formatVersion: 2 }));
    expect(await loadModelDir(dir).catch((e: unknown) => e)).toMatchObject({ code: 'ML_PERSIST_FORMAT_UNKNOWN', details: { field: 'formatVersion' } });
    await writeFile(file, JSON.stringify({ format: 'keras', formatVersion: 1 }));
    expect(await codeOf(loadModelDir(dir))).toBe('ML_PERSIST_FORMAT_UNKNOWN');
    await writeFile(file, '{ not json');
    expect(await codeOf(loadModelDir(dir))).toBe('ML_PERSIST_NOT_JSON');
  });

  it('rejects a manifest whose file list, layout or content hash was tampered with', async () => {
    await saveModelDir(dir, bundle());
    const file = path.join(dir, 'manifest.json');
    const original = JSON.parse(await readFile(file, 'utf8')) as { files: Record<string, unknown>; layout: { totalSize: number }; contentSha256: string };
    await writeFile(file, JSON.stringify({ ...original, files: { ...original.files, '../escape.json': { sha256: 'a'.repeat(64), bytes: 1 } } }));
    expect(await codeOf(loadModelDir(dir))).toBe('ML_PERSIST_MANIFEST_INVALID');
    await writeFile(file, JSON.stringify({ ...original, layout: { ...original.layout, totalSize: 1 } }));
    expect(await codeOf(loadModelDir(dir))).toBe('ML_PERSIST_MANIFEST_INVALID');
    await writeFile(file, JSON.stringify({ ...original, contentSha256: 'b'.repeat(64) }));
    expect(await codeOf(loadModelDir(dir))).toBe('ML_PERSIST_CHECKSUM_MISMATCH');
  });

  it('refuses params that do not fit the layout and values that are not JSON, writing nothing', async () => {
    const b = bundle();
    await expect(saveModelDir(dir, { ...b, params: new Float32Array(3) })).rejects.toMatchObject({ code: 'ML_SIZE_MISMATCH' });
    expect(await codeOf(saveModelDir(dir, { ...b, config: () => 1 }))).toBe('ML_PERSIST_NOT_JSON');
    await expect(readdir(root)).resolves.toEqual([]);
  });
});
