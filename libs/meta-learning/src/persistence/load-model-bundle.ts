import { createMetaModel, type MetaModel } from '../model/meta-model.js';
import { assertLayoutsEqual } from '../params/param-layout.js';
import { loadModelDir } from './load-model-dir.js';
import type { StoredListHead } from './model-bundle.js';
import type { ModelContract } from './model-contract.js';
import type { ModelDirManifest } from './model-manifest.js';
import { MODEL_DIR_FILES } from './model-manifest.js';
import { parseModelContract } from './parse-model-contract.js';
import { PersistenceError } from './persistence-error.js';

/** A verified bundle, its contract and the network rebuilt from it. */
export interface LoadedModelBundle {
  readonly contract: ModelContract;
  /** 1 when the bundle was stored in the version-1 format and migrated on read; null when current. */
  readonly migratedFrom: 1 | null;
  /** The network of `contract.model` over `contract.featureLayout`; its layout equals the manifest's. */
  readonly model: MetaModel;
  /** Flat parameters in `model.layout` order. */
  readonly params: Float32Array;
  /** Parsed `vocabularies.json` (`unknown`: its owner, datasets' `FeatureEncoder.fromJSON`, validates it). */
  readonly vocabularies: unknown;
  /** Parsed `extra.json` (provenance), or undefined. */
  readonly extra?: unknown;
  /** The list head, when the bundle carries one. */
  readonly listHead?: StoredListHead;
  readonly manifest: ModelDirManifest;
}

/**
 * Loads a bundle written by `saveModelBundle` (or a version-1 one, migrated): verifies the
 * directory (`loadModelDir`), reads the contract (`parseModelContract`), rebuilds the network and
 * checks that its parameter layout is the one the weights were stored with.
 * @throws PersistenceError `ML_BUNDLE_FORMAT_UNSUPPORTED`, `ML_BUNDLE_FIELD_INVALID` (also when the
 * contract's network does not match the stored layout: `details.field` `model`), and the codes of
 * `loadModelDir`.
 */
export async function loadModelBundle(dir: string): Promise<LoadedModelBundle> {
  const loaded = await loadModelDir(dir);
  const { contract, migratedFrom } = parseModelContract(loaded.config, loaded.extra);
  let model: MetaModel;
  try {
    model = createMetaModel(contract.featureLayout, contract.model);
    assertLayoutsEqual(model.layout, loaded.manifest.layout, 'contract network');
  } catch (e) {
    throw new PersistenceError(
      'ML_BUNDLE_FIELD_INVALID',
      `${MODEL_DIR_FILES.config}: the network of model + featureLayout does not match the stored weights: ${(e as Error).message}`,
      { file: MODEL_DIR_FILES.config, field: 'model' },
      e,
    );
  }
  return {
    contract,
    migratedFrom,
    model,
    params: loaded.params,
    vocabularies: loaded.vocabularies,
    ...(loaded.extra === undefined ? {} : { extra: loaded.extra }),
    ...(loaded.listHead === undefined ? {} : { listHead: loaded.listHead }),
    manifest: loaded.manifest,
  };
}
