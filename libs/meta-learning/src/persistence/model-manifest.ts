import { z } from 'zod';

import type { ParamLayout } from '../params/param-layout.js';

/** `manifest.json` → `format`: identifies a metarec model directory. */
export const MODEL_DIR_FORMAT = 'metarec-model-dir';
/** The manifest version this code writes and the only one it reads. Bump on any incompatible change. */
export const MODEL_DIR_FORMAT_VERSION = 1;

/** File names inside a model directory (see FORMAT.md). */
export const MODEL_DIR_FILES = {
  manifest: 'manifest.json',
  weights: 'weights.bin',
  config: 'config.json',
  vocabularies: 'vocabularies.json',
  extra: 'extra.json',
  tfjsModel: 'model.json',
  /** Optional: the list head (`list-head/list-head-codec.ts`), with its item-item weights in `list-head.bin`. */
  listHead: 'list-head.json',
  listHeadWeights: 'list-head.bin',
} as const;

/** Checksum and size of one file of the directory. */
export interface ManifestFile {
  /** Lower-case hex sha256 of the file's bytes. */
  readonly sha256: string;
  readonly bytes: number;
}

/** `manifest.json`: what loading checks before trusting any other file. */
export interface ModelDirManifest {
  readonly format: typeof MODEL_DIR_FORMAT;
  readonly formatVersion: typeof MODEL_DIR_FORMAT_VERSION;
  /** Always `float32` little-endian, `layout.totalSize` values in layout order. */
  readonly weights: { readonly file: typeof MODEL_DIR_FILES.weights; readonly dtype: 'float32'; readonly byteOrder: 'little-endian' };
  readonly layout: ParamLayout;
  /** Every file except the manifest, by name. */
  readonly files: Readonly<Record<string, ManifestFile>>;
  /** sha256 of the sorted `name sha256` lines of `files`: one id for the whole bundle's content. */
  readonly contentSha256: string;
}

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const nonNegInt = z.number().int().nonnegative();
const fileName = z.enum([
  MODEL_DIR_FILES.weights,
  MODEL_DIR_FILES.config,
  MODEL_DIR_FILES.vocabularies,
  MODEL_DIR_FILES.extra,
  MODEL_DIR_FILES.tfjsModel,
  MODEL_DIR_FILES.listHead,
  MODEL_DIR_FILES.listHeadWeights,
]);

/** Only format + version, read first so an unknown version gets its own error code. */
export const manifestHeaderSchema = z.object({ format: z.string(), formatVersion: z.number() });

/** Version 1 manifest. File names are a closed list, so no path can escape the directory. */
export const manifestV1Schema = z.object({
  format: z.literal(MODEL_DIR_FORMAT),
  formatVersion: z.literal(MODEL_DIR_FORMAT_VERSION),
  weights: z.object({ file: z.literal(MODEL_DIR_FILES.weights), dtype: z.literal('float32'), byteOrder: z.literal('little-endian') }),
  layout: z.object({
    entries: z.array(z.object({ name: z.string(), shape: z.array(nonNegInt), offset: nonNegInt, size: nonNegInt })),
    totalSize: nonNegInt,
  }),
  files: z.partialRecord(fileName, z.object({ sha256: sha256Hex, bytes: nonNegInt })),
  contentSha256: sha256Hex,
});
