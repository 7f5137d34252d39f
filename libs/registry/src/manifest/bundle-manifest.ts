import { createHash } from 'node:crypto';

import { z } from 'zod';

import { findJsonTextViolation } from '../api/text-rules.js';
import { RegistryError } from '../errors.js';
import { validateBundlePath } from '../names/validate-name.js';

/** File name of the registry's manifest inside an exported bundle directory. */
export const BUNDLE_MANIFEST_FILE = 'bundle-manifest.json';
/** Version of the manifest contract this code writes and reads. Bump on any incompatible change. */
export const BUNDLE_MANIFEST_VERSION = 1;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex characters (sha256)');
const metricValue = z.number().finite().nullable();

/** One file of a bundle: a relative path, its sha256 and size. */
export const bundleFileSchema = z.object({
  path: z.string().superRefine((path, ctx) => {
    try {
      validateBundlePath(path);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    }
  }),
  sha256: sha256Hex,
  bytes: z.number().int().nonnegative(),
  /** Media type served with the file (`text/html` for the report). */
  contentType: z.string().min(1).max(100).optional(),
  /**
   * `serving`: a pod needs it (topology, weights, layout, vocabularies, config); `report`: for
   * people (the evaluation report), kept in the registry but left out of exported bundles.
   */
  purpose: z.enum(['serving', 'report']).default('serving'),
});

/**
 * Evaluation metrics of a version, as the issue-3 protocol reports them: per scenario, per method
 * (this model and the baselines), per metric. `evaluationSetId` fingerprints the held-out users
 * (dataset, split, seeds): the promotion gate compares two versions only when it is equal.
 */
export const bundleMetricsSchema = z.object({
  evaluationSetId: z.string().min(1).max(200),
  /** This model's method name in `scenarios` (the other methods are baselines). */
  method: z.string().min(1).max(100),
  scenarios: z.record(z.string().min(1).max(100), z.record(z.string().min(1).max(100), z.record(z.string().min(1).max(100), metricValue))),
});

/** Where a version came from. */
export const bundleLineageSchema = z.object({
  trainingRunId: z.string().min(1).max(200),
  /** The training spec (JSON) the run used. */
  trainingSpec: z.record(z.string(), z.unknown()),
  /** Newest event time included in the training data (ISO-8601). */
  dataWatermark: z.iso.datetime({ offset: true }),
  gitCommit: z.string().regex(/^[0-9a-f]{7,40}$/, 'expected a git commit hash'),
  /** Version this one was fine-tuned or retrained from, if any. */
  parentVersion: z.number().int().positive().nullable(),
});

/**
 * The registry's bundle manifest (`bundle-manifest.json`): what the registry knows about a model
 * version. The model format itself is opaque here (`format` is the model library's name for it);
 * the registry checks files by checksum, reads fingerprint, metrics and lineage.
 */
export const bundleManifestSchema = z
  .object({
    manifestVersion: z.literal(BUNDLE_MANIFEST_VERSION),
    /** The model library's format id, e.g. `metarec-model-dir/1`. */
    format: z.string().min(1).max(100),
    /** Fingerprint of the feature schema the model was trained on; loaders refuse unknown ones. */
    schemaFingerprint: z.string().min(1).max(200),
    files: z.array(bundleFileSchema).min(1).max(1000),
    metrics: bundleMetricsSchema.optional(),
    lineage: bundleLineageSchema,
    /** Free-form labels (`dataset: ml-100k`). */
    labels: z.record(z.string().max(100), z.string().max(500)).default({}),
  })
  .superRefine((manifest, ctx) => {
    const seen = new Set<string>();
    manifest.files.forEach((file, index) => {
      if (seen.has(file.path)) {
        ctx.addIssue({ code: 'custom', path: ['files', index, 'path'], message: `duplicate path "${file.path}"` });
      }
      if (file.path === BUNDLE_MANIFEST_FILE) {
        ctx.addIssue({ code: 'custom', path: ['files', index, 'path'], message: `"${BUNDLE_MANIFEST_FILE}" is reserved for the manifest itself` });
      }
      seen.add(file.path);
    });
  });

/** A validated bundle manifest. */
export type BundleManifest = z.output<typeof bundleManifestSchema>;
/** A manifest as written by a producer (defaults not yet applied). */
export type BundleManifestInput = z.input<typeof bundleManifestSchema>;
/** One file entry of a manifest. */
export type BundleFile = z.output<typeof bundleFileSchema>;
/** What a file is for. */
export type BundleFilePurpose = BundleFile['purpose'];
/** The metrics block of a manifest. */
export type BundleMetrics = z.output<typeof bundleMetricsSchema>;
/** The lineage block of a manifest. */
export type BundleLineage = z.output<typeof bundleLineageSchema>;

/** Formats a zod issue path as `files[2].path`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`), '');
}

/**
 * Validates an unknown value as a bundle manifest.
 * @throws RegistryError (`REG_MANIFEST_INVALID`) whose `field` is the first bad path, prefixed by `fieldPrefix`.
 */
export function parseBundleManifest(value: unknown, fieldPrefix = 'manifest'): BundleManifest {
  // jsonb refuses U+0000 and would store a lone surrogate as U+FFFD: refuse both, naming where.
  const text = findJsonTextViolation(value);
  if (text !== undefined) {
    const inner = formatIssuePath(text.path);
    throw new RegistryError('REG_MANIFEST_INVALID', `invalid bundle manifest: ${inner || '(root)'}: ${text.message}`, { field: inner === '' ? fieldPrefix : `${fieldPrefix}.${inner}` });
  }
  const result = bundleManifestSchema.safeParse(value);
  if (result.success) {
    return result.data;
  }
  const first = result.error.issues[0];
  const inner = first === undefined ? '' : formatIssuePath(first.path);
  const field = inner === '' ? fieldPrefix : `${fieldPrefix}.${inner}`;
  const summary = result.error.issues.slice(0, 5).map((issue) => `${formatIssuePath(issue.path) || '(root)'}: ${issue.message}`).join('; ');
  throw new RegistryError('REG_MANIFEST_INVALID', `invalid bundle manifest: ${summary}`, { field, cause: result.error });
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The content hash of a version: sha256 of the manifest's canonical JSON (keys sorted, files
 * sorted by path). Since the manifest lists every file's sha256, equal hashes mean equal bytes
 * everywhere; the registry stores it and refuses a different hash under an existing version.
 */
export function manifestContentHash(manifest: BundleManifest): string {
  const files = [...manifest.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return createHash('sha256').update(canonicalJson({ ...manifest, files })).digest('hex');
}
