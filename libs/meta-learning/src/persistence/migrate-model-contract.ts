import { z } from 'zod';

import { DEFAULT_ADAPTATION_SETTINGS } from '../adaptation/adaptation-settings.js';
import { DEFAULT_MODEL_CONFIG } from '../model/model-config.js';
import { MODEL_CONTRACT_VERSION } from './model-contract.js';
import { MODEL_DIR_FILES } from './model-manifest.js';
import { PersistenceError } from './persistence-error.js';

// Version 1 (wave 1, unversioned): the trainer wrote `config.json` = { model, featureLayout } with the
// model config as its resolved `ModelConfig` (readers filled missing fields with the defaults), and
// recorded the local update only in `extra.json`: `lineage.spec.inner` { steps, lr } (the run spec) and,
// since shrinkage calibration, `lineage.adaptation.shrinkage`. Bundles saved outside the trainer have
// no lineage; serving adapted those with MeLU's defaults.
const configV1Schema = z.looseObject({ model: z.looseObject({}), featureLayout: z.unknown() });
const lineageV1Schema = z.looseObject({
  lineage: z.looseObject({
    spec: z.looseObject({ inner: z.looseObject({ steps: z.unknown(), lr: z.unknown() }).optional() }).optional(),
    adaptation: z.looseObject({ shrinkage: z.unknown() }).optional(),
  }),
});

/** Whether `config` is a version-1 `config.json`: no `formatVersion`, `model` and `featureLayout` objects. */
export function isModelContractV1(config: unknown): boolean {
  return configV1Schema.safeParse(config).success && (config as { formatVersion?: unknown }).formatVersion === undefined;
}

/**
 * Rewrites a version-1 bundle's `config.json` (+ its `extra.json`) as a version-2 contract, not yet
 * validated (`parseModelContract` validates it like any other, so a bad v1 value is named in its
 * v2 place): model config with the defaults v1 readers filled in, the feature layout as is, and the
 * adaptation settings the lineage records (steps and lr of `spec.inner`, `adaptation.shrinkage`,
 * κ = 0 before calibration), or MeLU's defaults when the bundle has no lineage.
 * @throws PersistenceError `ML_BUNDLE_FIELD_INVALID` when the lineage is present but not an object
 * of the expected shape (`details.file` extra.json, `details.field` the lineage path).
 */
export function migrateModelContractV1(config: unknown, extra: unknown): Record<string, unknown> {
  const v1 = configV1Schema.parse(config);
  return {
    formatVersion: MODEL_CONTRACT_VERSION,
    model: { ...DEFAULT_MODEL_CONFIG, ...v1.model },
    featureLayout: v1.featureLayout,
    adaptation: adaptationV1(extra),
  };
}

/**
 * Where a version-2 field of a migrated contract came from in the version-1 bundle, so an invalid
 * value is named where it is actually stored.
 */
export function v1OriginOf(field: string): { readonly file: string; readonly field: string } {
  const origins: Readonly<Record<string, string>> = {
    'adaptation.steps': 'lineage.spec.inner.steps',
    'adaptation.lr': 'lineage.spec.inner.lr',
    'adaptation.shrinkage': 'lineage.adaptation.shrinkage',
  };
  const origin = origins[field];
  return origin === undefined ? { file: MODEL_DIR_FILES.config, field } : { file: MODEL_DIR_FILES.extra, field: origin };
}

function adaptationV1(extra: unknown): Record<string, unknown> {
  const hasLineage = typeof extra === 'object' && extra !== null && 'lineage' in extra;
  if (!hasLineage) {
    return { ...DEFAULT_ADAPTATION_SETTINGS };
  }
  const parsed = lineageV1Schema.safeParse(extra);
  if (!parsed.success) {
    const field = parsed.error.issues[0].path.join('.');
    throw new PersistenceError('ML_BUNDLE_FIELD_INVALID', `${MODEL_DIR_FILES.extra}: ${field}: ${parsed.error.issues[0].message}`, {
      file: MODEL_DIR_FILES.extra,
      field,
    });
  }
  const { spec, adaptation } = parsed.data.lineage;
  const inner = spec?.inner;
  return {
    steps: inner?.steps ?? DEFAULT_ADAPTATION_SETTINGS.steps,
    lr: inner?.lr ?? DEFAULT_ADAPTATION_SETTINGS.lr,
    shrinkage: adaptation?.shrinkage ?? 0,
  };
}
