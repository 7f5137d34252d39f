import type { BundleManifest } from '../manifest/bundle-manifest.js';

/** A registered model. */
export interface ModelRecord {
  readonly name: string;
  readonly description: string;
  /** ISO-8601. */
  readonly createdAt: string;
  readonly createdBy: string;
  readonly versionCount: number;
  readonly latestVersion: number | null;
}

/** Whether a version is live or archived (kept and readable, not aliasable). */
export type VersionStatus =
  | { readonly state: 'active' }
  | {
      readonly state: 'archived';
      readonly archivedAt: string;
      readonly archivedBy: string;
      /** Why it was archived, as given by `archivedBy` ('' when none was given). */
      readonly reason: string;
    };

/** One immutable model version. */
export interface VersionRecord {
  readonly model: string;
  readonly version: number;
  /** sha256 of the canonical manifest (see `manifestContentHash`). */
  readonly contentSha256: string;
  readonly manifest: BundleManifest;
  readonly schemaFingerprint: string;
  readonly evaluationSetId: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly status: VersionStatus;
  /** Mutable metadata: free text, editable after registration (the content is not). */
  readonly description: string;
  /** Mutable metadata: labels set and removed after registration (the manifest's `labels` are frozen). */
  readonly tags: Readonly<Record<string, string>>;
  /** Last metadata edit (ISO-8601) and who made it; null until the first edit. */
  readonly metaUpdatedAt: string | null;
  readonly metaUpdatedBy: string | null;
}

/** Where an alias points now. */
export interface AliasRecord {
  readonly model: string;
  readonly alias: string;
  readonly version: number;
  /** Id of the audit event that last moved it; grows with every move (long-poll cursor). */
  readonly eventId: number;
  readonly updatedAt: string;
}

/** How an alias moved. */
export type AliasEventKind = 'set' | 'promote' | 'override' | 'rollback';

/** One entry of the alias audit log. */
export interface AliasEvent {
  readonly id: number;
  readonly model: string;
  readonly alias: string;
  readonly fromVersion: number | null;
  readonly toVersion: number;
  readonly kind: AliasEventKind;
  readonly actor: string;
  readonly reason: string;
  /** The gate's decision when the move went through it. */
  readonly gate: Readonly<Record<string, unknown>> | null;
  readonly at: string;
}

/** Row shapes as pg returns them. */
export interface ModelRow {
  name: string;
  description: string;
  created_at: Date;
  created_by: string;
  version_count?: number;
  latest_version?: number | null;
}

export interface VersionRow {
  model: string;
  version: number;
  content_sha256: string;
  manifest: BundleManifest;
  schema_fingerprint: string;
  evaluation_set_id: string | null;
  created_at: Date;
  created_by: string;
  archived_at: Date | null;
  archived_by: string | null;
  archive_reason: string | null;
  description: string;
  tags: Record<string, string>;
  meta_updated_at: Date | null;
  meta_updated_by: string | null;
}

export interface AliasRow {
  model: string;
  alias: string;
  version: number;
  last_event_id: string;
  updated_at: Date;
}

export interface AliasEventRow {
  id: string;
  model: string;
  alias: string;
  from_version: number | null;
  to_version: number;
  kind: AliasEventKind;
  actor: string;
  reason: string;
  gate: Record<string, unknown> | null;
  at: Date;
}

export function toModelRecord(row: ModelRow): ModelRecord {
  return {
    name: row.name,
    description: row.description,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    versionCount: row.version_count ?? 0,
    latestVersion: row.latest_version ?? null,
  };
}

export function toVersionRecord(row: VersionRow): VersionRecord {
  return {
    model: row.model,
    version: row.version,
    contentSha256: row.content_sha256,
    manifest: row.manifest,
    schemaFingerprint: row.schema_fingerprint,
    evaluationSetId: row.evaluation_set_id,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    status:
      row.archived_at === null
        ? { state: 'active' }
        : { state: 'archived', archivedAt: row.archived_at.toISOString(), archivedBy: row.archived_by ?? 'unknown', reason: row.archive_reason ?? '' },
    description: row.description,
    tags: row.tags,
    metaUpdatedAt: row.meta_updated_at?.toISOString() ?? null,
    metaUpdatedBy: row.meta_updated_by,
  };
}

// bigserial ids arrive as strings (int8); they stay far below 2^53 in any registry's life.
export function toAliasRecord(row: AliasRow): AliasRecord {
  return { model: row.model, alias: row.alias, version: row.version, eventId: Number(row.last_event_id), updatedAt: row.updated_at.toISOString() };
}

export function toAliasEvent(row: AliasEventRow): AliasEvent {
  return {
    id: Number(row.id),
    model: row.model,
    alias: row.alias,
    fromVersion: row.from_version,
    toVersion: row.to_version,
    kind: row.kind,
    actor: row.actor,
    reason: row.reason,
    gate: row.gate,
    at: row.at.toISOString(),
  };
}
