export type { RegistryErrorCode, RegistryErrorOptions } from './errors.js';
export { isRegistryError, RegistryError } from './errors.js';
export type { VersionRef } from './names/validate-name.js';
export { parseVersionNumber, parseVersionRef, validateAliasName, validateBundlePath, validateModelName } from './names/validate-name.js';
export type { BundleFile, BundleFilePurpose, BundleLineage, BundleManifest, BundleManifestInput, BundleMetrics } from './manifest/bundle-manifest.js';
export { BUNDLE_MANIFEST_FILE, formatIssuePath, parseBundleManifest } from './manifest/bundle-manifest.js';
export type { WriteBundleManifestOptions } from './manifest/write-bundle-manifest.js';
export { writeBundleManifest } from './manifest/write-bundle-manifest.js';
export type { TuningSummary } from './manifest/tuning-summary.js';
export { tuningRows, tuningSummaryOf } from './manifest/tuning-summary.js';
export type { ArtifactCheck, ArtifactStore, PutStreamOptions, StoredArtifact } from './artifacts/artifact-store.js';
export type { DirectoryArtifactStoreOptions } from './artifacts/directory-artifact-store.js';
export { DirectoryArtifactStore } from './artifacts/directory-artifact-store.js';
export type { MigrateOptions, MigrateReport } from './db/migrate.js';
export { migrate } from './db/migrate.js';
export { preloadQueries } from './db/sql-files.js';
export { withSearchPath } from './db/search-path.js';
export type { TokenCheck, TokenVerifier } from './auth/token-verifier.js';
export { createTokenVerifier } from './auth/token-verifier.js';
export type { GateDecision, PromotionGatePolicy } from './gate/promotion-gate.js';
export type { AliasEvent, AliasEventKind, AliasRecord, ModelRecord, VersionRecord, VersionStatus } from './registry/records.js';
export type { ModelRegistryOptions, RegisterVersionInput, RegisterVersionResult, UpdateVersionMetadataInput, VersionFile, VersionManifest } from './registry/model-registry.js';
export type { Page, PageRequest } from './paging/page.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './paging/page.js';
export type { RunArtifact, RunDetail, RunMetricPoint, RunMetricValue, RunRecord, RunStatus, RunVersionLink } from './runs/run-records.js';
export { RUN_STATUSES } from './runs/run-records.js';
export type { MetricFilter } from './runs/run-names.js';
export { parseMetricFilter, parseTagFilter, validateMetricKey, validateRunId } from './runs/run-names.js';
export { coldStartMetricKey, COLD_START_METRIC_PREFIX, EVAL_METRIC_PREFIX, evalMetricKey, RUN_METRIC_KEYS } from './runs/metric-keys.js';
export type { CreateRunInput, LogRunArtifactInput, RunFilter, RunStoreOptions, UpdateRunInput } from './runs/run-store.js';
export { MAX_METRIC_BATCH, RunStore } from './runs/run-store.js';
export type { ComparisonRow, VersionComparison, VersionSeries } from './compare/version-comparison.js';
export { buildVersionComparison } from './compare/version-comparison.js';
export type { CompareVersionsOptions } from './compare/compare-versions.js';
export { compareVersions, MAX_COMPARED_VERSIONS } from './compare/compare-versions.js';
export { ModelRegistry } from './registry/model-registry.js';
export type { AliasManagerOptions, MoveAliasInput, MoveAliasResult } from './registry/alias-manager.js';
export { AliasManager } from './registry/alias-manager.js';
export type { AliasChange, AliasChangeWaiter, AliasSubscription, AliasWatcherOptions } from './registry/alias-watcher.js';
export { AliasWatcher } from './registry/alias-watcher.js';
export type { BundleSource } from './bundle/bundle-source.js';
export { localBundleSource } from './bundle/local-bundle-source.js';
export type { CollectedBundle, ExportBundleOptions, ExportBundleResult } from './bundle/export-bundle.js';
export { bundleTarball, collectBundle, exportBundle } from './bundle/export-bundle.js';
export type { ImportBundleDirOptions } from './bundle/import-bundle-dir.js';
export { importBundleDir } from './bundle/import-bundle-dir.js';
export type { LoadBundleOptions, LoadedBundle } from './bundle/load-bundle.js';
export { loadBundle } from './bundle/load-bundle.js';
export type { RouteAccess, RouteId, RouteSpec } from './api/contract.js';
export {
  aliasAtQuerySchema,
  aliasParamsSchema,
  API_PREFIX,
  archiveBodySchema,
  blobParamsSchema,
  createModelBodySchema,
  errorBodySchema,
  fileParamsSchema,
  historyQuerySchema,
  importVersionBodySchema,
  modelParamsSchema,
  moveAliasBodySchema,
  pageQuerySchema,
  refParamsSchema,
  registerVersionBodySchema,
  rollbackBodySchema,
  ROUTES,
  versionParamsSchema,
  versionRecordSchema,
  waitQuerySchema,
} from './api/contract.js';
export {
  compareQuerySchema,
  comparisonSchema,
  createRunBodySchema,
  createRunResultSchema,
  logArtifactBodySchema,
  logMetricsBodySchema,
  logMetricsResultSchema,
  metricHistoryQuerySchema,
  metricHistorySchema,
  runArtifactParamsSchema,
  runArtifactSchema,
  runDetailSchema,
  runListQuerySchema,
  runListSchema,
  runParamsSchema,
  updateRunBodySchema,
  updateVersionBodySchema,
  whoamiSchema,
} from './api/runs-contract.js';
export type { RegistryClientOptions } from './client/registry-client.js';
export { RegistryClient } from './client/registry-client.js';
