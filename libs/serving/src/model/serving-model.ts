import { FeatureEncoder, type EncodedItemTable, type ItemFeatureSource, type UserFeatureSource } from '@metarec/datasets';
import { listHeadSlots, loadModelBundle, loadParams, type AdaptationSettings, type AdaptedUser, type ListHead, type LoadedParams, type MetaModel } from '@metarec/meta-learning';
import type { FeatureLayout } from '@metarec/schemas';

import { reasonOf, ServingError } from '../errors.js';

/** Identity of a loaded model, as reported in responses and metrics. */
export interface ModelIdentity {
  /** Registry version number (0 for a model loaded from a plain directory). */
  readonly version: number;
  /** `contentSha256` of the model directory's manifest: one id for the weights and vocabularies. */
  readonly contentSha256: string;
}

/** A bundle's list head with its item-id → slot index, built once per loaded model. */
export interface ServingListHead {
  readonly head: ListHead;
  readonly slots: ReadonlyMap<string, number>;
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
    /** The local update the bundle's contract records (request-time adaptation uses it unless `ADAPT_*` override it). */
    readonly trainedAdaptation: AdaptationSettings,
    /** What orders the returned list (null: the bundle has none, lists follow the network's scores). */
    readonly listHead: ServingListHead | null = null,
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

/** `file` or `file:field` from a persistence error's details (else an error's own `field`), for the refusal. */
function refusedField(error: unknown): unknown {
  const e = error as { field?: unknown; details?: { file?: unknown; field?: unknown } };
  const file = e.details?.file;
  if (typeof file === 'string') {
    return typeof e.details?.field === 'string' ? `${file}:${e.details.field}` : file;
  }
  return e.field;
}

function sameLayout(a: FeatureLayout, b: FeatureLayout): boolean {
  const fields = (l: FeatureLayout): string => JSON.stringify([l.userFields, l.itemFields, l.categoryCount, l.numericCount]);
  return fields(a) === fields(b);
}

/**
 * Loads a model bundle through its contract (meta-learning's `loadModelBundle`: every file's sha256
 * checked, `config.json` validated or migrated from version 1, the network rebuilt, the list head
 * when there is one), the encoder from `vocabularies.json`, checks that the encoder produces the layout the network was trained on, and
 * uploads the parameters.
 * @throws ServingError `SERVING_BUNDLE_REFUSED` (cause: the persistence, dataset or model error;
 * `field`: the offending file, and field in it when known, e.g. `config.json:adaptation.shrinkage`).
 */
export async function loadServingModel(dir: string, version: number): Promise<ServingModel> {
  let params: LoadedParams | undefined;
  try {
    const bundle = await loadModelBundle(dir);
    const encoder = FeatureEncoder.fromJSON(bundle.vocabularies);
    if (!sameLayout(encoder.layout(), bundle.contract.featureLayout)) {
      throw new ServingError('SERVING_BUNDLE_REFUSED', 'vocabularies.json does not produce the feature layout of config.json', { field: 'vocabularies.json' });
    }
    const head = bundle.listHead?.head;
    if (head !== undefined && head.categoryCount !== bundle.contract.featureLayout.categoryCount) {
      throw new ServingError('SERVING_BUNDLE_REFUSED', `list-head.json has ${head.categoryCount} categories, the model's layout ${bundle.contract.featureLayout.categoryCount}`, {
        field: 'list-head.json:categoryCount',
      });
    }
    params = loadParams(bundle.model, bundle.params);
    const listHead = head === undefined ? null : { head, slots: listHeadSlots(head) };
    return new ServingModel({ version, contentSha256: bundle.manifest.contentSha256 }, bundle.model, params, encoder, bundle.contract.adaptation, listHead);
  } catch (error) {
    params?.dispose();
    if (error instanceof ServingError) {
      throw error;
    }
    const field = refusedField(error);
    throw new ServingError('SERVING_BUNDLE_REFUSED', `model directory ${dir} refused: ${reasonOf(error)}`, {
      cause: error,
      ...(typeof field === 'string' ? { field } : {}),
    });
  }
}
