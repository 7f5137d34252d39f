import { createHash } from 'node:crypto';

import type { ListHead } from '../list-head/list-head.js';
import type { ParamLayout } from '../params/param-layout.js';
import type { ManifestFile } from './model-manifest.js';

/** What a model directory holds. JSON parts must survive `JSON.stringify`/`JSON.parse`. */
export interface ModelBundle {
  /** Layout of `params`; stored in the manifest and checked against `weights.bin`'s size. */
  readonly layout: ParamLayout;
  /** Flat parameters, `layout.totalSize` long. */
  readonly params: Float32Array;
  /** Model config (whatever rebuilds the network, e.g. the model's `ModelConfig`). */
  readonly config: unknown;
  /** Feature vocabularies / encoder state needed to encode requests like training did. */
  readonly vocabularies: unknown;
  /** Anything else worth keeping beside the weights (metrics, data hash, lineage); omitted when undefined. */
  readonly extra?: unknown;
  /** The list head that orders what serving returns, and how it was chosen; omitted when undefined. */
  readonly listHead?: StoredListHead;
}

/** A list head with the evidence of its selection, as a bundle carries it. */
export interface StoredListHead {
  readonly head: ListHead;
  readonly evidence?: Record<string, string | number>;
}

/** Lower-case hex sha256 of `bytes`. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** One id for a whole bundle: sha256 of the sorted `name sha256` lines. */
export function contentSha256(files: Readonly<Record<string, ManifestFile | undefined>>): string {
  const lines = Object.entries(files)
    .filter((e): e is [string, ManifestFile] => e[1] !== undefined)
    .map(([name, f]) => `${name} ${f.sha256}\n`)
    .sort();
  return sha256Hex(lines.join(''));
}
