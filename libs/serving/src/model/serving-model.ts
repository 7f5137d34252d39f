import { FeatureEncoder, type EncodedItemTable, type ItemFeatureSource, type UserFeatureSource } from '@metarec/datasets';
import {
  createMetaModel,
  loadModelDir,
  loadParams,
  type AdaptedUser,
  type LoadedParams,
  type MetaModel,
  type ModelConfig,
} from '@metarec/meta-learning';
import type { FeatureLayout } from '@metarec/schemas';

import { reasonOf, ServingError } from '../errors.js';
import { trainedAdaptation, type AdaptationSettings } from './trained-adaptation.js';

/** Identity of a loaded model, as reported in responses and metrics. */
export interface ModelIdentity {
  /** Registry version number (0 for a model loaded from a plain directory). */
  readonly version: number;
  /** `contentSha256` of the model directory's manifest: one id for the weights and vocabularies. */
  readonly contentSha256: string;
}

/**
 * One loaded model: parameters on the device, the feature encoder it was trained with, and the
 * unadapted prior as an `AdaptedUser` (what cold users are scored with). Owned by a
 * `ModelHolder`, which disposes it once no request uses it.
 */
export class ServingModel {
  /** The meta-learned prior: base parameters with no per-user override. */
  readonly prior: AdaptedUser;
  private disposed = false;

  constructor(
    readonly identity: ModelIdentity,
    readonly model: MetaModel,
    readonly params: LoadedParams,
    readonly encoder: FeatureEncoder,
    /** Inner steps and step size the bundle was meta-trained with (null: not recorded). */
    readonly trainedAdaptation: AdaptationSettings | null = null,
  ) {
    this.prior = { base: params, overrides: {}, tableRows: null, dispose: (): void => undefined };
  }

  get version(): number {
    return this.identity.version;
  }

  /** Whether `itemId` had an id embedding at training time (false: a new item, scored from content). */
  knowsItem(itemId: string): boolean {
    return this.model.featureLayout.itemFields[0]?.name !== 'item_id' || this.encoder.vocabulary('item_id').indexOf(itemId) !== 0;
  }

  /** Encodes one user (profile or just the id) into its field indices. */
  encodeUser(user: UserFeatureSource): Int32Array {
    return this.encoder.encodeUsers([user]).fields;
  }

  /** Encodes items; a missing profile becomes `{ item_id }` (unknown content, id embedding if known). */
  encodeItems(items: readonly ItemFeatureSource[]): EncodedItemTable {
    return this.encoder.encodeItems(items);
  }

  /** Frees the device tensors; safe to call twice. */
  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      this.params.dispose();
    }
  }

  get isDisposed(): boolean {
    return this.disposed;
  }
}

interface ModelDirConfig {
  readonly model: Partial<ModelConfig>;
  readonly featureLayout: FeatureLayout;
}

function parseConfig(config: unknown): ModelDirConfig {
  const value = config as Partial<ModelDirConfig> | null;
  if (value === null || typeof value !== 'object' || typeof value.model !== 'object' || typeof value.featureLayout !== 'object') {
    throw new ServingError('SERVING_BUNDLE_REFUSED', 'config.json needs { model, featureLayout } (as written by the trainer)', { field: 'config.json' });
  }
  return value as ModelDirConfig;
}

function sameLayout(a: FeatureLayout, b: FeatureLayout): boolean {
  const fields = (l: FeatureLayout): string => JSON.stringify([l.userFields, l.itemFields, l.categoryCount, l.numericCount]);
  return fields(a) === fields(b);
}

/**
 * Loads a model directory written by the trainer (`saveModelDir`: every file's sha256 checked),
 * rebuilds the network from `config.json`, the encoder from `vocabularies.json`, checks that the
 * encoder produces the layout the network was trained on, and uploads the parameters.
 * @throws ServingError `SERVING_BUNDLE_REFUSED` (cause: the persistence, dataset or model error).
 */
export async function loadServingModel(dir: string, version: number): Promise<ServingModel> {
  let params: LoadedParams | undefined;
  try {
    const loaded = await loadModelDir(dir);
    const config = parseConfig(loaded.config);
    const encoder = FeatureEncoder.fromJSON(loaded.vocabularies);
    if (!sameLayout(encoder.layout(), config.featureLayout)) {
      throw new ServingError('SERVING_BUNDLE_REFUSED', 'vocabularies.json does not produce the feature layout of config.json', { field: 'vocabularies.json' });
    }
    const model = createMetaModel(config.featureLayout, config.model);
    params = loadParams(model, loaded.params);
    return new ServingModel({ version, contentSha256: loaded.manifest.contentSha256 }, model, params, encoder, trainedAdaptation(loaded.extra));
  } catch (error) {
    params?.dispose();
    if (error instanceof ServingError) {
      throw error;
    }
    const field = (error as { field?: unknown; details?: { file?: unknown } }).details?.file ?? (error as { field?: unknown }).field;
    throw new ServingError('SERVING_BUNDLE_REFUSED', `model directory ${dir} refused: ${reasonOf(error)}`, {
      cause: error,
      ...(typeof field === 'string' ? { field } : {}),
    });
  }
}
