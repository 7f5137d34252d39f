import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { BUNDLE_MANIFEST_FILE, type BundleManifest, type BundleManifestInput, parseBundleManifest } from '../manifest/bundle-manifest.js';

/** Schema fingerprint used by test bundles. */
export const TEST_SCHEMA_FINGERPRINT = 'schema-fp-test-v1';
/** Evaluation-set id used by test bundles unless overridden. */
export const TEST_EVALUATION_SET_ID = 'ml-100k:meta-split:seeds-1-2-3';

/**
 * Float32 parameter count of a MeLU-size model: 8 embedding tables of 1000×32, then an MLP
 * 256→64→64→1 with biases (issue 3's configuration).
 */
export const MELU_SIZE_PARAMS = 8 * 1000 * 32 + (256 * 64 + 64) + (64 * 64 + 64) + (64 * 1 + 1);

/** Deterministic pseudo-random bytes (xorshift32), so bundles are reproducible without I/O. */
export function pseudoRandomBytes(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Options of `buildTestBundleFiles` and `writeTestBundle`. */
export interface TestBundleOptions {
  /** Seed of the weight bytes; different seeds give different content hashes. @defaultValue `1` */
  readonly seed?: number;
  /** Size of `weights.bin` in bytes. @defaultValue `4096` */
  readonly weightBytes?: number;
  /** Metric values of this model on scenario `new_user` (method `melu`). @defaultValue `{ ndcg10: 0.3, mae: 0.9 }` */
  readonly metrics?: Readonly<Record<string, number>>;
  /** @defaultValue `TEST_EVALUATION_SET_ID` */
  readonly evaluationSetId?: string;
  /** @defaultValue `TEST_SCHEMA_FINGERPRINT` */
  readonly schemaFingerprint?: string;
  /** @defaultValue `null` */
  readonly parentVersion?: number | null;
  /** Leave the metrics block out. @defaultValue `false` */
  readonly withoutMetrics?: boolean;
  /** The lineage's training spec. @defaultValue `{ algorithm: 'maml', metaBatch: 32 }` */
  readonly trainingSpec?: Record<string, unknown>;
}

/** A `tuning` block as `trainer tune --write-spec` puts it in a training spec: two trials, rungs of 10 and 30 steps. */
export const TEST_TUNING = {
  tuneId: 't-test',
  objective: 'mae',
  folds: 3,
  eta: 3,
  rungs: [10, 30],
  best: { trial: 2, metric: 0.81, rung: 1, steps: 30, params: { 'inner.lr': 0.02 } },
  trials: [
    { trial: 2, params: { 'inner.lr': 0.02 }, seed: 12, metrics: [0.9, 0.81], status: 'completed' },
    { trial: 0, params: { 'inner.lr': 0.2 }, seed: 10, metrics: [1.4], status: 'stopped' },
  ],
  trialsOmitted: 0,
  resultsPath: '/runs/t-test/tuning.json',
} as const;

/** A bundle in memory: files by path and the manifest describing them. */
export interface TestBundle {
  readonly files: ReadonlyMap<string, Buffer>;
  readonly manifest: BundleManifest;
}

/** Builds a bundle (weights, config, vocabularies, an HTML report) and its manifest, in memory. */
export function buildTestBundleFiles(options: TestBundleOptions = {}): TestBundle {
  const seed = options.seed ?? 1;
  const files = new Map<string, Buffer>([
    ['weights.bin', pseudoRandomBytes(options.weightBytes ?? 4096, seed)],
    ['config.json', Buffer.from(JSON.stringify({ embeddingDim: 32, hidden: [64, 64], seed }))],
    ['vocabularies.json', Buffer.from(JSON.stringify({ genre: { drama: 0, comedy: 1 } }))],
    ['report.html', Buffer.from(`<!doctype html><html><head><title>Evaluation report</title></head><body><h1>Evaluation report ${seed}</h1></body></html>`)],
  ]);
  const contentTypes: Record<string, string> = { 'report.html': 'text/html', 'config.json': 'application/json', 'vocabularies.json': 'application/json' };
  const metrics = options.metrics ?? { ndcg10: 0.3, mae: 0.9 };
  const input: BundleManifestInput = {
    manifestVersion: 1,
    format: 'metarec-model-dir/1',
    schemaFingerprint: options.schemaFingerprint ?? TEST_SCHEMA_FINGERPRINT,
    files: [...files].map(([path, bytes]) => ({ path, sha256: sha256(bytes), bytes: bytes.length, ...(contentTypes[path] === undefined ? {} : { contentType: contentTypes[path] }), purpose: path === 'report.html' ? 'report' : 'serving' })),
    ...(options.withoutMetrics === true
      ? {}
      : {
          metrics: {
            evaluationSetId: options.evaluationSetId ?? TEST_EVALUATION_SET_ID,
            method: 'melu',
            scenarios: { new_user: { melu: { ...metrics }, 'item-mean': { ndcg10: 0.2, mae: 1.0 } } },
          },
        }),
    lineage: {
      trainingRunId: `run-${seed}`,
      trainingSpec: options.trainingSpec ?? { algorithm: 'maml', metaBatch: 32 },
      dataWatermark: '2026-11-01T00:00:00.000Z',
      gitCommit: 'abeb7d4',
      parentVersion: options.parentVersion ?? null,
    },
  };
  return { files, manifest: parseBundleManifest(input) };
}

/** A manifest literal (valid, not yet parsed) for schema tests. */
export function sampleManifest(): BundleManifestInput & { files: BundleManifestInput['files'] } {
  const { manifest } = buildTestBundleFiles();
  return { ...manifest, files: manifest.files.map((f) => ({ ...f })) };
}

/** Writes a test bundle directory (files + `bundle-manifest.json`) and returns it. */
export async function writeTestBundle(dir: string, options: TestBundleOptions = {}): Promise<TestBundle & { readonly dir: string }> {
  const bundle = buildTestBundleFiles(options);
  for (const [path, bytes] of bundle.files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), bytes);
  }
  await writeFile(join(dir, BUNDLE_MANIFEST_FILE), JSON.stringify(bundle.manifest, null, 2));
  return { ...bundle, dir };
}
