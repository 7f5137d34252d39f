import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { FeatureEncoder, generateSynthetic, interactionRecords, type SyntheticDataset, type SyntheticOptions } from '@metarec/datasets';
import {
  createMetaModel,
  DEFAULT_ADAPTATION_SETTINGS,
  initParams,
  MODEL_DIR_FORMAT,
  MODEL_DIR_FORMAT_VERSION,
  saveModelBundle,
  SUPPORT_BUCKET_STARTS,
  type AdaptationSettings,
  type ListHead,
  type ModelConfig,
} from '@metarec/meta-learning';
import { BUNDLE_MANIFEST_FILE, type BundleManifestInput } from '@metarec/registry';
import { InteractionSchema, type FeatureLayout, type Interaction } from '@metarec/schemas';

/** A small synthetic world and the encoder a model of it would ship with. */
export interface TestWorld {
  readonly dataset: SyntheticDataset;
  readonly interactions: readonly Interaction[];
  readonly encoder: FeatureEncoder;
  readonly layout: FeatureLayout;
  /** Users with at least one rating, and items the encoder has no id for (released late). */
  readonly warmUserIds: readonly string[];
  readonly newItemIds: readonly string[];
}

/**
 * Generates a synthetic world (defaults: 200 users, 300 items, 20–40 events each) and fits the
 * encoder the way training does: late-released items get no `item_id` index (new to the model).
 */
export function buildTestWorld(options: SyntheticOptions = {}): TestWorld {
  const dataset = generateSynthetic({ seed: 7, users: 200, items: 300, interactionsPerUser: { min: 20, max: 40 }, ...options });
  const interactions = interactionRecords(dataset);
  const newItemIds = dataset.items.filter((_, i) => dataset.isNewItem[i] === 1).map((item) => item.item_id);
  const newItems = new Set(newItemIds);
  const encoder = FeatureEncoder.fit({
    users: dataset.users,
    items: dataset.items,
    trainingItemIds: dataset.items.map((i) => i.item_id).filter((id) => !newItems.has(id)),
  });
  const warm = new Set(interactions.filter((e) => e.event_type === 'rating').map((e) => e.user_id));
  return { dataset, interactions, encoder, layout: encoder.layout(), warmUserIds: [...warm].sort(), newItemIds };
}

/** Writes a model bundle (random initial weights, the world's encoder, `adaptation` in its contract) as the trainer would. */
export async function writeTestModelDir(
  dir: string,
  world: TestWorld,
  config: Partial<ModelConfig> = {},
  adaptation: AdaptationSettings = DEFAULT_ADAPTATION_SETTINGS,
  listHead?: ListHead,
): Promise<void> {
  const model = createMetaModel(world.layout, { outputOffset: 3.5, ...config });
  await saveModelBundle(dir, { model, params: initParams(model), vocabularies: world.encoder.toJSON(), adaptation, ...(listHead === undefined ? {} : { listHead: { head: listHead } }) }, { overwrite: true });
}

/**
 * A list head over the world's items known to the model (slots by rating count, most first) that
 * orders by popularity alone in every bucket unless `warmWeights` say otherwise; item-item weights
 * all zero unless `itemItem` sets some (`[from, to, weight]` by item id).
 */
export function testListHead(world: TestWorld, options: { warmWeights?: readonly number[][]; itemItem?: ReadonlyArray<[string, string, number]> } = {}): ListHead {
  const newItems = new Set(world.newItemIds);
  const counts = new Map<string, number>();
  for (const e of world.interactions) {
    if (e.event_type === 'rating' && !newItems.has(e.item_id)) {
      counts.set(e.item_id, (counts.get(e.item_id) ?? 0) + 1);
    }
  }
  const itemIds = [...counts.keys()].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || (a < b ? -1 : 1));
  const n = itemIds.length;
  const weights = new Float32Array(n * n);
  const slot = new Map(itemIds.map((id, s) => [id, s]));
  for (const [from, to, w] of options.itemItem ?? []) {
    weights[(slot.get(from) ?? 0) * n + (slot.get(to) ?? 0)] = w;
  }
  return {
    itemIds,
    logPopularity: Float32Array.from(itemIds, (id) => Math.log1p(counts.get(id) ?? 0)),
    itemItemSize: n,
    itemItemWeights: weights,
    categoryCount: world.layout.categoryCount,
    contentPopularityWeights: new Float32Array(world.layout.categoryCount + 1),
    bucketStarts: SUPPORT_BUCKET_STARTS,
    warmWeights: SUPPORT_BUCKET_STARTS.map((_, b) => Float32Array.from(options.warmWeights?.[b] ?? [0, 1, 0, 0, 0])),
    contentWeights: SUPPORT_BUCKET_STARTS.map(() => Float32Array.from([1, 1])),
    // Ratings are the network's (weight 1 on it, none on the bias model).
    rating: { mean: 3, itemOffsets: new Float32Array(n), damping: 5, weights: SUPPORT_BUCKET_STARTS.map(() => Float32Array.from([1, 0, 0])), min: 1, max: 5 },
  };
}

/** Adds the registry's `bundle-manifest.json` to a model directory (every file, sha256 + size). */
export async function writeBundleManifest(dir: string, runId: string): Promise<BundleManifestInput> {
  const names = (await readdir(dir)).filter((name) => name !== BUNDLE_MANIFEST_FILE).sort();
  const files = await Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(path.join(dir, name));
      return { path: name, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
    }),
  );
  const manifest: BundleManifestInput = {
    manifestVersion: 1,
    format: `${MODEL_DIR_FORMAT}/${MODEL_DIR_FORMAT_VERSION}`,
    schemaFingerprint: InteractionSchema.fingerprint,
    files,
    lineage: { trainingRunId: runId, trainingSpec: {}, dataWatermark: '2026-11-01T00:00:00Z', gitCommit: '0000000', parentVersion: null },
  };
  await writeFile(path.join(dir, BUNDLE_MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  return manifest;
}
