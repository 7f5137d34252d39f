import { execQuery, type Queryable } from '../db/sql-files.js';
import { RegistryError } from '../errors.js';
import { validateModelName } from '../names/validate-name.js';

/**
 * Takes a model's row lock for the rest of the caller's transaction and returns its id. Every
 * write that must serialize per model (version numbers, alias moves, archiving) starts here.
 * @throws RegistryError `REG_INVALID_NAME`, `REG_MODEL_NOT_FOUND` (field `model`).
 */
export async function lockModel(client: Queryable, model: string): Promise<number> {
  validateModelName(model);
  const row = (await execQuery<{ id: string }>(client, 'lock-model', [model]))[0];
  if (row === undefined) {
    throw new RegistryError('REG_MODEL_NOT_FOUND', `unknown model "${model}"`, { field: 'model' });
  }
  return Number(row.id);
}
