import { z } from 'zod';

import { PersistenceError } from '../persistence/persistence-error.js';
import { decodeWeights, encodeWeights } from '../persistence/weights-codec.js';
import { LIST_HEAD_CONTENT_FEATURES, LIST_HEAD_FEATURES, type ListHead } from './list-head.js';

/** Version of `list-head.json`; a reader refuses any other. */
export const LIST_HEAD_FORMAT_VERSION = 1;

/** File names of a list head inside a model directory. */
export const LIST_HEAD_FILES = { json: 'list-head.json', weights: 'list-head.bin' } as const;

const finite = z.number().finite();

const listHeadJsonSchema = z
  .object({
    formatVersion: z.literal(LIST_HEAD_FORMAT_VERSION),
    features: z.array(z.string()),
    itemIds: z.array(z.string().min(1)),
    logPopularity: z.array(finite.nonnegative()),
    itemItemSize: z.number().int().nonnegative(),
    categoryCount: z.number().int().nonnegative(),
    contentPopularityWeights: z.array(finite),
    bucketStarts: z.array(z.number().int().nonnegative()).min(1),
    warmWeights: z.array(z.array(finite)),
    contentWeights: z.array(z.array(finite)),
    rating: z
      .object({
        mean: finite,
        itemOffsets: z.array(finite),
        damping: finite.nonnegative(),
        weights: z.array(z.array(finite)),
        min: finite,
        max: finite,
      })
      .strict(),
    /** How the head was chosen (λ, validation nDCG per bucket…): provenance, read by no scorer. */
    evidence: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  })
  .strict();

/** `list-head.json` as stored. */
export type ListHeadJson = z.infer<typeof listHeadJsonSchema>;

/** A head's two files: the JSON (everything small) and the item-item weights (float32 LE). */
export interface EncodedListHead {
  readonly json: ListHeadJson;
  readonly weights: Uint8Array;
}

/** Encodes `head` for a model directory; `evidence` is kept beside it. */
export function encodeListHead(head: ListHead, evidence?: Record<string, string | number>): EncodedListHead {
  checkListHead(head, LIST_HEAD_FILES.json);
  return {
    json: {
      formatVersion: LIST_HEAD_FORMAT_VERSION,
      features: [...LIST_HEAD_FEATURES],
      itemIds: [...head.itemIds],
      logPopularity: Array.from(head.logPopularity),
      itemItemSize: head.itemItemSize,
      categoryCount: head.categoryCount,
      contentPopularityWeights: Array.from(head.contentPopularityWeights),
      bucketStarts: [...head.bucketStarts],
      warmWeights: head.warmWeights.map((w) => Array.from(w)),
      contentWeights: head.contentWeights.map((w) => Array.from(w)),
      rating: {
        mean: head.rating.mean,
        itemOffsets: Array.from(head.rating.itemOffsets),
        damping: head.rating.damping,
        weights: head.rating.weights.map((w) => Array.from(w)),
        min: head.rating.min,
        max: head.rating.max,
      },
      ...(evidence === undefined ? {} : { evidence }),
    },
    weights: encodeWeights(head.itemItemWeights),
  };
}

/**
 * The head stored as `json` (parsed `list-head.json`) and `weights` (`list-head.bin`'s bytes).
 * @throws PersistenceError `ML_BUNDLE_FORMAT_UNSUPPORTED` (other `formatVersion`), `ML_BUNDLE_FIELD_INVALID` naming the file and field.
 */
export function decodeListHead(json: unknown, weights: Uint8Array): { head: ListHead; evidence?: Record<string, string | number> } {
  const file = LIST_HEAD_FILES.json;
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (version !== LIST_HEAD_FORMAT_VERSION) {
    throw new PersistenceError('ML_BUNDLE_FORMAT_UNSUPPORTED', `${file}: formatVersion ${String(version)} is not supported (this code reads ${LIST_HEAD_FORMAT_VERSION})`, { file, field: 'formatVersion' });
  }
  const parsed = listHeadJsonSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.');
    throw new PersistenceError('ML_BUNDLE_FIELD_INVALID', `${file}: ${field}: ${issue.message}`, { file, field });
  }
  const j = parsed.data;
  if (j.features.join(',') !== LIST_HEAD_FEATURES.join(',')) {
    throw new PersistenceError('ML_BUNDLE_FIELD_INVALID', `${file}: features ${j.features.join(',')} differ from this code's ${LIST_HEAD_FEATURES.join(',')}`, { file, field: 'features' });
  }
  if (weights.byteLength !== j.itemItemSize * j.itemItemSize * 4) {
    throw new PersistenceError('ML_BUNDLE_FIELD_INVALID', `${LIST_HEAD_FILES.weights} has ${weights.byteLength} bytes, itemItemSize ${j.itemItemSize} needs ${j.itemItemSize ** 2 * 4}`, {
      file: LIST_HEAD_FILES.weights,
      field: 'itemItemSize',
    });
  }
  const head: ListHead = {
    itemIds: j.itemIds,
    logPopularity: Float32Array.from(j.logPopularity),
    itemItemSize: j.itemItemSize,
    itemItemWeights: decodeWeights(weights),
    categoryCount: j.categoryCount,
    contentPopularityWeights: Float32Array.from(j.contentPopularityWeights),
    bucketStarts: j.bucketStarts,
    warmWeights: j.warmWeights.map((w) => Float32Array.from(w)),
    contentWeights: j.contentWeights.map((w) => Float32Array.from(w)),
    rating: { ...j.rating, itemOffsets: Float32Array.from(j.rating.itemOffsets), weights: j.rating.weights.map((w) => Float32Array.from(w)) },
  };
  checkListHead(head, file);
  return { head, ...(j.evidence === undefined ? {} : { evidence: j.evidence }) };
}

/**
 * Checks the head's arrays agree with each other (lengths, one weight vector per bucket, unique ids).
 * @throws PersistenceError `ML_BUNDLE_FIELD_INVALID` naming `file` and the field.
 */
export function checkListHead(head: ListHead, file: string): void {
  const fail = (field: string, message: string): never => {
    throw new PersistenceError('ML_BUNDLE_FIELD_INVALID', `${file}: ${field}: ${message}`, { file, field });
  };
  const n = head.itemIds.length;
  if (new Set(head.itemIds).size !== n) {
    fail('itemIds', 'item ids must be unique');
  }
  if (head.logPopularity.length !== n) {
    fail('logPopularity', `has ${head.logPopularity.length} values for ${n} items`);
  }
  if (head.itemItemSize > n) {
    fail('itemItemSize', `${head.itemItemSize} exceeds the ${n} items`);
  }
  if (head.itemItemWeights.length !== head.itemItemSize ** 2) {
    fail('itemItemWeights', `has ${head.itemItemWeights.length} values, itemItemSize ${head.itemItemSize} needs ${head.itemItemSize ** 2}`);
  }
  if (head.contentPopularityWeights.length !== head.categoryCount + 1) {
    fail('contentPopularityWeights', `has ${head.contentPopularityWeights.length} values, needs categoryCount + 1 = ${head.categoryCount + 1}`);
  }
  if (head.bucketStarts[0] !== 0 || head.bucketStarts.some((s, b) => b > 0 && s <= head.bucketStarts[b - 1])) {
    fail('bucketStarts', 'must start at 0 and increase');
  }
  const buckets = head.bucketStarts.length;
  const check = (name: string, list: readonly Float32Array[], width: number): void => {
    if (list.length !== buckets) {
      fail(name, `has ${list.length} entries for ${buckets} buckets`);
    }
    list.forEach((w, b) => {
      if (w.length !== width || w.some((v) => !Number.isFinite(v))) {
        fail(`${name}.${b}`, `needs ${width} finite weights`);
      }
    });
  };
  check('warmWeights', head.warmWeights, LIST_HEAD_FEATURES.length);
  check('contentWeights', head.contentWeights, LIST_HEAD_CONTENT_FEATURES.length);
  check('rating.weights', head.rating.weights, 3);
  if (head.rating.itemOffsets.length !== n) {
    fail('rating.itemOffsets', `has ${head.rating.itemOffsets.length} values for ${n} items`);
  }
  if (!(head.rating.min < head.rating.max)) {
    fail('rating.min', `the scale ${head.rating.min}..${head.rating.max} is empty`);
  }
}
