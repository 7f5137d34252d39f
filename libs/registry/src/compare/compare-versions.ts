import { RegistryError } from '../errors.js';
import type { ModelRegistry } from '../registry/model-registry.js';
import type { RunMetricPoint } from '../runs/run-records.js';
import type { RunStore } from '../runs/run-store.js';
import { buildVersionComparison, type VersionComparison } from './version-comparison.js';

/** Most versions one comparison lays side by side (a table wider than this is unreadable). */
export const MAX_COMPARED_VERSIONS = 10;

/** What `compareVersions` reads from. */
export interface CompareVersionsOptions {
  readonly registry: ModelRegistry;
  readonly runs: RunStore;
  readonly model: string;
  /** Two to `MAX_COMPARED_VERSIONS` distinct version numbers, shown in this order. */
  readonly versions: readonly number[];
}

/**
 * Fetches the versions and their runs' metric histories and lays them side by side. A version
 * whose run was never recorded (registered before runs existed, or by hand) shows its tables only.
 * @throws RegistryError `REG_INVALID_INPUT` (field `versions`), `REG_MODEL_NOT_FOUND`, `REG_VERSION_NOT_FOUND`.
 */
export async function compareVersions(options: CompareVersionsOptions): Promise<VersionComparison> {
  const numbers = options.versions;
  if (numbers.length < 2 || numbers.length > MAX_COMPARED_VERSIONS || new Set(numbers).size !== numbers.length) {
    throw new RegistryError('REG_INVALID_INPUT', `compare 2 to ${MAX_COMPARED_VERSIONS} distinct versions, got [${numbers.join(', ')}]`, { field: 'versions' });
  }
  const records = await Promise.all(numbers.map((n) => options.registry.getVersion(options.model, n)));
  const histories = new Map<number, readonly RunMetricPoint[]>();
  await Promise.all(
    records.map(async (v) => {
      try {
        histories.set(v.version, await options.runs.metricHistory(v.manifest.lineage.trainingRunId));
      } catch (error) {
        if (!(error instanceof RegistryError && (error.code === 'REG_RUN_NOT_FOUND' || error.code === 'REG_INVALID_NAME'))) {
          throw error;
        }
        // No run record for this version: its tables still compare, it just has no curves.
      }
    }),
  );
  return buildVersionComparison(options.model, records, histories);
}
