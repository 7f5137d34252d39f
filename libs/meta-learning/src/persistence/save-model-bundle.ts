import type { AdaptationSettings } from '../adaptation/adaptation-settings.js';
import type { MetaModel } from '../model/meta-model.js';
import type { StoredListHead } from './model-bundle.js';
import { MODEL_CONTRACT_VERSION, type ModelContract } from './model-contract.js';
import type { ModelDirManifest } from './model-manifest.js';
import { parseModelContract } from './parse-model-contract.js';
import { saveModelDir, type SaveModelDirOptions } from './save-model-dir.js';

/** What a trained model bundle is saved from. */
export interface ModelBundleContents {
  /** The network: its config and feature layout become the contract, its layout the manifest's. */
  readonly model: MetaModel;
  /** Flat parameters, `model.layout.totalSize` long. */
  readonly params: Float32Array;
  /** Feature vocabularies / encoder state (datasets' `FeatureEncoder.toJSON()`), stored as `vocabularies.json`. */
  readonly vocabularies: unknown;
  /** The local update the model was trained for. */
  readonly adaptation: AdaptationSettings;
  /** Provenance kept beside the weights (lineage, metrics) as `extra.json`; no reader of the contract depends on it. */
  readonly extra?: unknown;
  /** The list head serving orders candidates with (see FORMAT.md), when the run fitted one. */
  readonly listHead?: StoredListHead;
}

/** The version-2 contract of `model` trained for `adaptation` (what `config.json` holds). */
export function modelContractOf(model: MetaModel, adaptation: AdaptationSettings): ModelContract {
  return {
    formatVersion: MODEL_CONTRACT_VERSION,
    model: { ...model.config, hidden: [...model.config.hidden] },
    featureLayout: model.featureLayout,
    adaptation: { steps: adaptation.steps, lr: adaptation.lr, shrinkage: adaptation.shrinkage },
  };
}

/**
 * Saves a trained model as a model directory (`saveModelDir`, see FORMAT.md) whose `config.json`
 * is its model contract, validated before anything is written, so a bundle that
 * `loadModelBundle` would refuse is never produced.
 * @returns the manifest written.
 * @throws PersistenceError `ML_BUNDLE_FIELD_INVALID` naming the invalid contract field, and the codes of `saveModelDir`.
 */
export async function saveModelBundle(dir: string, contents: ModelBundleContents, options: SaveModelDirOptions = {}): Promise<ModelDirManifest> {
  const { contract } = parseModelContract(modelContractOf(contents.model, contents.adaptation));
  return saveModelDir(
    dir,
    {
      layout: contents.model.layout,
      params: contents.params,
      config: contract,
      vocabularies: contents.vocabularies,
      ...(contents.extra === undefined ? {} : { extra: contents.extra }),
      ...(contents.listHead === undefined ? {} : { listHead: contents.listHead }),
    },
    options,
  );
}
