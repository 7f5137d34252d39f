import { z } from 'zod';

import type { AdaptationSettings } from '../adaptation/adaptation-settings.js';
import type { ModelConfig } from '../model/model-config.js';
import type { FeatureLayout } from '@metarec/schemas';

/**
 * Version of the model contract in `config.json` (see FORMAT.md). Version 1 is the unversioned
 * `{ model, featureLayout }` the trainer wrote before the contract existed, with the adaptation
 * settings only in `extra.json`'s lineage; `parseModelContract` migrates it. Bump on any change a
 * reader of this version would misread.
 */
export const MODEL_CONTRACT_VERSION = 2;

/**
 * What a model bundle promises its reader, besides the weights and the vocabularies: the network
 * to rebuild, the feature layout its inputs follow and the local update it was trained for.
 * Training writes it and serving (and the pipeline) read it through `saveModelBundle` /
 * `loadModelBundle`, never by hand.
 */
export interface ModelContract {
  readonly formatVersion: typeof MODEL_CONTRACT_VERSION;
  /** Every field of the network's config, resolved (no defaults filled at read time). Which layers adapt is `model.adapt`. */
  readonly model: ModelConfig;
  /** Shape of the encoded rows; the bundle's `vocabularies.json` must produce exactly this. */
  readonly featureLayout: FeatureLayout;
  /** The local update the prior was meta-trained (and its shrinkage calibrated) for. */
  readonly adaptation: AdaptationSettings;
}

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();
const finite = z.number().finite();
const nonNegativeFinite = finite.nonnegative();

const modelConfigSchema = z.strictObject({
  embeddingDim: positiveInt,
  hidden: z.array(positiveInt).min(1),
  task: z.enum(['regression', 'binary']),
  adapt: z.enum(['decision-layers', 'all']),
  activation: z.enum(['relu', 'softplus']),
  initSeed: finite,
  outputOffset: finite,
  metaSgd: z.boolean(),
  metaSgdInitLr: finite.positive(),
}) satisfies z.ZodType<ModelConfig>;

const categoricalFieldSchema = z.strictObject({ name: z.string().min(1), cardinality: positiveInt });

const featureLayoutSchema = z.strictObject({
  userFields: z.array(categoricalFieldSchema),
  itemFields: z.array(categoricalFieldSchema),
  categoryCount: nonNegativeInt,
  numericCount: nonNegativeInt,
}) satisfies z.ZodType<FeatureLayout>;

const adaptationSettingsSchema = z.strictObject({
  steps: nonNegativeInt,
  lr: nonNegativeFinite,
  shrinkage: nonNegativeFinite,
}) satisfies z.ZodType<AdaptationSettings>;

/**
 * Version 2 of `config.json`. Strict: an unknown field is refused rather than ignored, because a
 * field this reader does not know may change what the weights mean.
 */
export const modelContractSchema = z.strictObject({
  formatVersion: z.literal(MODEL_CONTRACT_VERSION),
  model: modelConfigSchema,
  featureLayout: featureLayoutSchema,
  adaptation: adaptationSettingsSchema,
}) satisfies z.ZodType<ModelContract>;
