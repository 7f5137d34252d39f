export type { RegistryErrorCode, RegistryErrorOptions } from './errors.js';
export { isRegistryError, REGISTRY_ERROR_CODES, RegistryError } from './errors.js';
export type { VersionRef } from './names/validate-name.js';
export {
  MAX_BUNDLE_PATH_DEPTH,
  MAX_BUNDLE_PATH_LENGTH,
  parseVersionNumber,
  parseVersionRef,
  validateAliasName,
  validateBundlePath,
  validateModelName,
} from './names/validate-name.js';
export type { BundleFile, BundleFilePurpose, BundleLineage, BundleManifest, BundleManifestInput, BundleMetrics } from './manifest/bundle-manifest.js';
export {
  BUNDLE_MANIFEST_FILE,
  BUNDLE_MANIFEST_VERSION,
  bundleManifestSchema,
  formatIssuePath,
  manifestContentHash,
  parseBundleManifest,
} from './manifest/bundle-manifest.js';
export type { WriteBundleManifestOptions } from './manifest/write-bundle-manifest.js';
export { writeBundleManifest } from './manifest/write-bundle-manifest.js';
export type { ArtifactStore, StoredArtifact } from './artifacts/artifact-store.js';
export { SHA256_HEX } from './artifacts/artifact-store.js';
export type { DirectoryArtifactStoreOptions } from './artifacts/directory-artifact-store.js';
export { DirectoryArtifactStore } from './artifacts/directory-artifact-store.js';
export type { MigrateOptions, MigrateReport } from './db/migrate.js';
export { migrate } from './db/migrate.js';
export { preloadQueries } from './db/sql-files.js';
export { withSearchPath } from './db/search-path.js';
export type { TokenCheck, TokenVerifier } from './auth/token-verifier.js';
export { createTokenVerifier, MIN_TOKEN_LENGTH } from './auth/token-verifier.js';
export type { GateDecision, GateSide, PromotionGatePolicy } from './gate/promotion-gate.js';
export { decidePromotion, DEFAULT_PROMOTION_GATE_POLICY, describeGateDecision } from './gate/promotion-gate.js';
export type { AliasEvent, AliasEventKind, AliasRecord, ModelRecord, VersionRecord, VersionStatus } from './registry/records.js';
export type { ModelRegistryOptions, RegisterVersionInput, RegisterVersionResult, VersionFile, VersionManifest } from './registry/model-registry.js';
export { DEFAULT_MODEL_REGISTRY_OPTIONS, ModelRegistry } from './registry/model-registry.js';
export type { AliasManagerOptions, MoveAliasInput, MoveAliasResult } from './registry/alias-manager.js';
export { AliasManager, DEFAULT_ALIAS_MANAGER_OPTIONS } from './registry/alias-manager.js';
export type { AliasChange, AliasChangeWaiter, AliasSubscription, AliasWatcherOptions } from './registry/alias-watcher.js';
export { AliasWatcher, DEFAULT_ALIAS_WATCHER_OPTIONS } from './registry/alias-watcher.js';
export type { BundleSource } from './bundle/bundle-source.js';
export { localBundleSource } from './bundle/local-bundle-source.js';
export type { CollectedBundle, ExportBundleOptions, ExportBundleResult } from './bundle/export-bundle.js';
export { bundleTarball, collectBundle, exportBundle } from './bundle/export-bundle.js';
export type { ImportBundleDirOptions } from './bundle/import-bundle-dir.js';
export { importBundleDir } from './bundle/import-bundle-dir.js';
export type { LoadBundleOptions, LoadedBundle } from './bundle/load-bundle.js';
export { loadBundle } from './bundle/load-bundle.js';
export type { TarEntry } from './bundle/tar-writer.js';
export { writeTar } from './bundle/tar-writer.js';
export type { RouteAccess, RouteId, RouteSpec } from './api/contract.js';
export {
  aliasAtQuerySchema,
  API_PREFIX,
  archiveBodySchema,
  createModelBodySchema,
  errorBodySchema,
  historyQuerySchema,
  importVersionBodySchema,
  moveAliasBodySchema,
  registerVersionBodySchema,
  rollbackBodySchema,
  ROUTES,
  waitQuerySchema,
} from './api/contract.js';
export type { OpenApiDocument } from './api/openapi.js';
export { buildOpenApiDocument } from './api/openapi.js';
export type { RegistryClientOptions } from './client/registry-client.js';
export { DEFAULT_REGISTRY_CLIENT_OPTIONS, RegistryClient } from './client/registry-client.js';
