import { isModelContractV1, migrateModelContractV1, v1OriginOf } from './migrate-model-contract.js';
import { MODEL_CONTRACT_VERSION, modelContractSchema, type ModelContract } from './model-contract.js';
import { MODEL_DIR_FILES } from './model-manifest.js';
import { PersistenceError } from './persistence-error.js';

/** A contract read from a bundle, and the version it was migrated from (null: stored as the current version). */
export interface ParsedModelContract {
  readonly contract: ModelContract;
  readonly migratedFrom: 1 | null;
}

function versionOf(config: unknown): unknown {
  return typeof config === 'object' && config !== null ? (config as { formatVersion?: unknown }).formatVersion : undefined;
}

/**
 * Reads a bundle's model contract from its parsed `config.json` (and `extra.json`, which version 1
 * kept the adaptation settings in). Version 2 is validated as stored; version 1 (no `formatVersion`)
 * is migrated first (`migrateModelContractV1`) and then validated the same way.
 * @throws PersistenceError `ML_BUNDLE_FORMAT_UNSUPPORTED` (`details.field` `formatVersion`) for any
 * other version or a `config.json` that is neither; `ML_BUNDLE_FIELD_INVALID` naming the first
 * invalid field (`details.file`, `details.field`: for a migrated bundle, where the value is stored).
 */
export function parseModelContract(config: unknown, extra?: unknown): ParsedModelContract {
  const migrated = isModelContractV1(config);
  const version = versionOf(config);
  if (!migrated && version !== MODEL_CONTRACT_VERSION) {
    throw new PersistenceError(
      'ML_BUNDLE_FORMAT_UNSUPPORTED',
      `${MODEL_DIR_FILES.config}: formatVersion ${JSON.stringify(version ?? null)} is not supported (this code reads ${MODEL_CONTRACT_VERSION} and migrates 1)`,
      { file: MODEL_DIR_FILES.config, field: 'formatVersion', value: version },
    );
  }
  const raw = migrated ? migrateModelContractV1(config, extra) : config;
  const parsed = modelContractSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // An unknown key is reported on its parent object; name the key itself.
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [];
    const path = [...issue.path.map(String), ...keys].join('.');
    const where = migrated ? v1OriginOf(path) : { file: MODEL_DIR_FILES.config, field: path };
    throw new PersistenceError('ML_BUNDLE_FIELD_INVALID', `${where.file}: ${where.field}: ${issue.message}`, { ...where });
  }
  return { contract: parsed.data, migratedFrom: migrated ? 1 : null };
}
