// A MeLU-size bundle for the registry benches: 8 embedding tables of 1000×32 plus an MLP
// 256→64→64→1 as float32 (issue 3's model), written with the registry's bundle manifest. The
// weights are small random floats, as trained weights are, so gzip ratios are realistic
// (a buffer of zeros or of a short repeating pattern would compress to almost nothing).
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { BUNDLE_MANIFEST_FILE, type BundleManifestInput } from '@metarec/registry';
import { MELU_SIZE_PARAMS, TEST_EVALUATION_SET_ID, TEST_SCHEMA_FINGERPRINT } from '@metarec/registry/testing';
import { SeededRng } from '@metarec/runtime';

function meluWeights(seed: number): Buffer {
  const values = new Float32Array(MELU_SIZE_PARAMS);
  const rng = new SeededRng(seed);
  for (let i = 0; i < values.length; i++) {
    values[i] = (rng.next() - 0.5) * 0.2;
  }
  return Buffer.from(values.buffer);
}

/** Writes a MeLU-size bundle directory and returns its weight size in bytes. */
export async function writeMeluSizeBundle(dir: string, seed: number, ndcg10: number): Promise<number> {
  const weights = meluWeights(seed);
  const files = new Map<string, Buffer>([
    ['weights.bin', weights],
    ['model.json', Buffer.from(JSON.stringify({ format: 'metarec-flat-params', weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'flat', shape: [MELU_SIZE_PARAMS], dtype: 'float32' }] }] }))],
    ['config.json', Buffer.from(JSON.stringify({ embeddingDim: 32, fields: 8, idsPerField: 1000, hidden: [64, 64] }))],
    ['vocabularies.json', Buffer.from(JSON.stringify({ item: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`i${i}`, i])) }))],
    ['report.html', Buffer.from('<!doctype html><title>Evaluation report</title><h1>bench</h1>')],
  ]);
  await mkdir(dir, { recursive: true });
  for (const [name, bytes] of files) {
    await writeFile(path.join(dir, name), bytes);
  }
  const manifest: BundleManifestInput = {
    manifestVersion: 1,
    format: 'metarec-model-dir/1',
    schemaFingerprint: TEST_SCHEMA_FINGERPRINT,
    files: [...files].map(([p, bytes]) => ({
      path: p,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length,
      ...(p === 'report.html' ? { contentType: 'text/html', purpose: 'report' as const } : {}),
    })),
    metrics: { evaluationSetId: TEST_EVALUATION_SET_ID, method: 'melu', scenarios: { new_user: { melu: { ndcg10 } } } },
    lineage: { trainingRunId: `bench-${seed}`, trainingSpec: {}, dataWatermark: '2026-11-01T00:00:00Z', gitCommit: 'abeb7d4', parentVersion: null },
  };
  await writeFile(path.join(dir, BUNDLE_MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  return weights.length;
}
