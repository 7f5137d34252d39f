import type { Logger } from '@metarec/runtime';
import type { Pool } from 'pg';

import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { execQuery, type Queryable } from '../db/sql-files.js';
import { withTransaction } from '../db/transaction.js';
import { RegistryError } from '../errors.js';
import { type BundleFile, type BundleManifest, manifestContentHash, parseBundleManifest } from '../manifest/bundle-manifest.js';
import { validateBundlePath, validateModelName } from '../names/validate-name.js';
import { numericPageToken, type Page, pageLimit, type PageRequest, toPage } from '../paging/page.js';
import { validateTagKey } from '../runs/run-names.js';
import { validTags } from '../runs/stored-json.js';
import { lockModel } from './lock-model.js';
import {
  type ModelRecord,
  type ModelRow,
  toModelRecord,
  toVersionRecord,
  type VersionRecord,
  type VersionRow,
} from './records.js';

/** Options of `ModelRegistry`. */
export interface ModelRegistryOptions {
  /** Pool whose search_path holds the migrated registry tables (created and closed by the app). */
  readonly pool: Pool;
  /** Where bundle files live, addressed by sha256. */
  readonly store: ArtifactStore;
  /** @defaultValue none */
  readonly logger?: Logger;
  /**
   * Create a model on its first registered version (the trainer then needs no extra call).
   * @defaultValue `true`
   */
  readonly createModelOnRegister?: boolean;
  /**
   * Manifests kept in memory, most recently used first. Versions are immutable, so a cached
   * manifest never goes stale; this takes PostgreSQL off the serving pods' hot read path.
   * @defaultValue `512`
   */
  readonly manifestCacheSize?: number;
}

/** Defaults laid under `ModelRegistryOptions`. */
export const DEFAULT_MODEL_REGISTRY_OPTIONS = { createModelOnRegister: true, manifestCacheSize: 512 } as const;

/** The immutable part of a version: what `getManifest` returns. */
export interface VersionManifest {
  readonly model: string;
  readonly version: number;
  readonly contentSha256: string;
  readonly manifest: BundleManifest;
}

/** Input of `ModelRegistry.registerVersion`. */
export interface RegisterVersionInput {
  readonly model: string;
  /** The bundle manifest (validated here); every file must already be in the store. */
  readonly manifest: unknown;
  /** Who registers (from the bearer token, not from the body). */
  readonly actor: string;
  /**
   * Version number the caller expects (idempotent retry). Same content under it → the existing
   * version is returned; different content → `REG_VERSION_IMMUTABLE`. @defaultValue the next number
   */
  readonly version?: number;
}

/** Input of `ModelRegistry.updateVersionMetadata`; omitted fields stay as they are. */
export interface UpdateVersionMetadataInput {
  readonly model: string;
  readonly version: number;
  readonly description?: string;
  /** Tags to add or overwrite. */
  readonly setTags?: Readonly<Record<string, string>>;
  /** Tag keys to remove (applied after `setTags`). */
  readonly removeTags?: readonly string[];
  /** Who edits (from the bearer token). */
  readonly actor: string;
}

/** Result of `registerVersion`: `created` is false for an idempotent retry. */
export interface RegisterVersionResult {
  readonly version: VersionRecord;
  readonly created: boolean;
}

/** A file of a version, verified against its sha256. */
export interface VersionFile {
  readonly file: BundleFile;
  readonly bytes: Buffer;
}

/**
 * Models and their immutable versions, in PostgreSQL, with files in a content-addressed store.
 * Version numbers are handed out under the model's row lock, so concurrent trainers get dense,
 * distinct numbers; the table's trigger forbids any change of a registered version's content.
 */
export class ModelRegistry {
  private readonly pool: Pool;
  private readonly store: ArtifactStore;
  private readonly logger: Logger | undefined;
  private readonly createModelOnRegister: boolean;
  private readonly manifestCacheSize: number;
  // Map iteration order is insertion order: re-inserting on hit makes it an LRU.
  private readonly manifests = new Map<string, VersionManifest>();

  /** @throws RegistryError (`REG_OPTIONS_INVALID`) when `manifestCacheSize` is not a non-negative integer. */
  constructor(options: ModelRegistryOptions) {
    const merged = { ...DEFAULT_MODEL_REGISTRY_OPTIONS, ...options };
    if (!Number.isInteger(merged.manifestCacheSize) || merged.manifestCacheSize < 0) {
      throw new RegistryError('REG_OPTIONS_INVALID', `manifestCacheSize must be a non-negative integer, got ${merged.manifestCacheSize}`, { field: 'manifestCacheSize' });
    }
    this.manifestCacheSize = merged.manifestCacheSize;
    this.pool = merged.pool;
    this.store = merged.store;
    this.logger = merged.logger;
    this.createModelOnRegister = merged.createModelOnRegister;
  }

  /**
   * Creates a model.
   * @throws RegistryError `REG_INVALID_NAME` (field `name`), `REG_MODEL_EXISTS`.
   */
  async createModel(input: { readonly name: string; readonly description?: string; readonly actor: string }): Promise<ModelRecord> {
    validateModelName(input.name, 'name');
    const rows = await execQuery<ModelRow>(this.pool, 'insert-model', [input.name, input.description ?? '', input.actor]);
    const row = rows[0];
    if (row === undefined) {
      throw new RegistryError('REG_MODEL_EXISTS', `model "${input.name}" already exists`, { field: 'name' });
    }
    return toModelRecord(row);
  }

  /** One page of models, by name. @throws RegistryError `REG_INVALID_INPUT` (fields `limit`, `pageToken`). */
  async listModels(page: PageRequest = {}): Promise<Page<ModelRecord>> {
    const limit = pageLimit(page);
    const rows = await execQuery<ModelRow>(this.pool, 'list-models', [page.pageToken ?? null, limit + 1]);
    return toPage(rows.map(toModelRecord), limit, (m) => m.name);
  }

  /** @throws RegistryError `REG_INVALID_NAME`, `REG_MODEL_NOT_FOUND` (field `model`). */
  async getModel(name: string): Promise<ModelRecord> {
    validateModelName(name);
    const row = (await execQuery<ModelRow>(this.pool, 'get-model', [name]))[0];
    if (row === undefined) {
      throw new RegistryError('REG_MODEL_NOT_FOUND', `unknown model "${name}"`, { field: 'model' });
    }
    return toModelRecord(row);
  }

  /**
   * One page of a model's versions, newest first.
   * @throws RegistryError `REG_MODEL_NOT_FOUND`, `REG_INVALID_INPUT` (fields `limit`, `pageToken`).
   */
  async listVersions(model: string, page: PageRequest = {}): Promise<Page<VersionRecord>> {
    const limit = pageLimit(page);
    const before = numericPageToken(page);
    await this.getModel(model);
    const rows = await execQuery<VersionRow>(this.pool, 'list-versions', [model, before, limit + 1]);
    return toPage(rows.map(toVersionRecord), limit, (v) => String(v.version));
  }

  /**
   * Edits a version's mutable metadata: its description, and tags set or removed. The content,
   * manifest and provenance stay immutable (the table's trigger guards them).
   * @throws RegistryError `REG_MODEL_NOT_FOUND`, `REG_VERSION_NOT_FOUND`, `REG_INVALID_NAME` / `REG_INVALID_INPUT` (a tag).
   */
  async updateVersionMetadata(input: UpdateVersionMetadataInput): Promise<VersionRecord> {
    validateModelName(input.model);
    const updated = await execQuery(this.pool, 'update-version-meta', [
      input.model,
      input.version,
      input.description ?? null,
      JSON.stringify(validTags(input.setTags ?? {}, 'setTags')),
      (input.removeTags ?? []).map((k) => validateTagKey(k, 'removeTags')),
      input.actor,
    ]);
    if (updated.length === 0) {
      await this.getVersion(input.model, input.version);
    }
    this.logger?.info({ model: input.model, version: input.version, actor: input.actor }, 'version metadata updated');
    return this.getVersion(input.model, input.version);
  }

  /** @throws RegistryError `REG_MODEL_NOT_FOUND`, `REG_VERSION_NOT_FOUND` (field `version`). */
  async getVersion(model: string, version: number): Promise<VersionRecord> {
    validateModelName(model);
    const row = (await execQuery<VersionRow>(this.pool, 'get-version', [model, version]))[0];
    if (row === undefined) {
      await this.getModel(model);
      throw new RegistryError('REG_VERSION_NOT_FOUND', `model "${model}" has no version ${version}`, { field: 'version' });
    }
    return toVersionRecord(row);
  }

  /**
   * The immutable manifest of a version, from memory after the first read (see `manifestCacheSize`).
   * @throws RegistryError `REG_MODEL_NOT_FOUND`, `REG_VERSION_NOT_FOUND`.
   */
  async getManifest(model: string, version: number): Promise<VersionManifest> {
    const key = `${model}@${version}`;
    const cached = this.manifests.get(key);
    if (cached !== undefined) {
      this.manifests.delete(key);
      this.manifests.set(key, cached);
      return cached;
    }
    const record = await this.getVersion(model, version);
    const entry: VersionManifest = { model: record.model, version: record.version, contentSha256: record.contentSha256, manifest: record.manifest };
    if (this.manifestCacheSize > 0) {
      this.manifests.set(key, entry);
      if (this.manifests.size > this.manifestCacheSize) {
        const oldest = this.manifests.keys().next().value;
        if (oldest !== undefined) {
          this.manifests.delete(oldest);
        }
      }
    }
    return entry;
  }

  /**
   * Registers a version from a manifest whose files were uploaded to the store first.
   * @throws RegistryError `REG_MANIFEST_INVALID`, `REG_ARTIFACT_MISSING` / `REG_CHECKSUM_MISMATCH`
   * (field `manifest.files[i]`), `REG_MODEL_NOT_FOUND` (when models are not auto-created),
   * `REG_VERSION_IMMUTABLE` (other content under `version`), `REG_INVALID_INPUT` (field `version`).
   */
  async registerVersion(input: RegisterVersionInput): Promise<RegisterVersionResult> {
    validateModelName(input.model);
    const manifest = parseBundleManifest(input.manifest);
    await this.assertFilesStored(manifest);
    const contentSha256 = manifestContentHash(manifest);
    const result = await withTransaction(this.pool, async (client) => {
      const modelId = await this.lockOrCreateModel(client, input.model, input.actor);
      if (input.version !== undefined) {
        const existing = (await execQuery<VersionRow>(client, 'get-version', [input.model, input.version]))[0];
        if (existing !== undefined) {
          if (existing.content_sha256 !== contentSha256) {
            throw new RegistryError('REG_VERSION_IMMUTABLE', `${input.model} version ${input.version} is registered with other content (${existing.content_sha256}); versions are immutable`, {
              field: 'version',
              details: { registered: existing.content_sha256, offered: contentSha256 },
            });
          }
          return { version: toVersionRecord(existing), created: false };
        }
        const next = (await execQuery<{ next_version: number }>(client, 'peek-next-version', [modelId]))[0]?.next_version;
        if (next !== input.version) {
          throw new RegistryError('REG_INVALID_INPUT', `version ${input.version} cannot be registered: the next version of ${input.model} is ${String(next)}`, { field: 'version' });
        }
      }
      const version = (await execQuery<{ version: number }>(client, 'allocate-version', [modelId]))[0]?.version;
      if (version === undefined) {
        throw new RegistryError('REG_INTERNAL', `could not allocate a version for ${input.model}`);
      }
      await execQuery(client, 'insert-version', [
        modelId,
        version,
        contentSha256,
        JSON.stringify(manifest),
        manifest.schemaFingerprint,
        manifest.metrics?.evaluationSetId ?? null,
        input.actor,
      ]);
      const row = (await execQuery<VersionRow>(client, 'get-version', [input.model, version]))[0];
      if (row === undefined) {
        throw new RegistryError('REG_INTERNAL', `version ${input.model}/${version} vanished after insert`);
      }
      return { version: toVersionRecord(row), created: true };
    });
    if (result.created) {
      this.logger?.info({ model: input.model, version: result.version.version, actor: input.actor, contentSha256 }, 'version registered');
    }
    return result;
  }

  /**
   * Archives a version: it stays readable, but no alias may point at it.
   * @throws RegistryError `REG_VERSION_NOT_FOUND`, `REG_VERSION_IN_USE` (aliases named in `details`), `REG_VERSION_ARCHIVED`.
   */
  async archiveVersion(input: { readonly model: string; readonly version: number; readonly actor: string; readonly reason: string }): Promise<VersionRecord> {
    await withTransaction(this.pool, async (client) => {
      const modelId = await lockModel(client, input.model);
      const aliases = await execQuery<{ alias: string }>(client, 'aliases-of-version', [modelId, input.version]);
      if (aliases.length > 0) {
        throw new RegistryError('REG_VERSION_IN_USE', `${input.model} version ${input.version} is aliased by ${aliases.map((a) => a.alias).join(', ')}; move the aliases first`, {
          field: 'version',
          details: { aliases: aliases.map((a) => a.alias) },
        });
      }
      const updated = await execQuery(client, 'archive-version', [modelId, input.version, input.actor, input.reason]);
      if (updated.length === 0) {
        const existing = await this.getVersion(input.model, input.version);
        throw new RegistryError('REG_VERSION_ARCHIVED', `${input.model} version ${existing.version} is already archived`, { field: 'version' });
      }
    });
    this.logger?.info({ model: input.model, version: input.version, actor: input.actor, reason: input.reason }, 'version archived');
    return this.getVersion(input.model, input.version);
  }

  /**
   * Reads one file of a version, verified against the manifest's sha256 by the store.
   * @throws RegistryError `REG_INVALID_NAME` (field `path`), `REG_ARTIFACT_MISSING` (path not in the manifest or blob gone), `REG_ARTIFACT_CORRUPT`.
   */
  async readFile(model: string, version: number, path: string): Promise<VersionFile> {
    validateBundlePath(path);
    const record = await this.getVersion(model, version);
    const file = record.manifest.files.find((entry) => entry.path === path);
    if (file === undefined) {
      throw new RegistryError('REG_ARTIFACT_MISSING', `${model} version ${version} has no file "${path}"`, { field: 'path' });
    }
    return { file, bytes: await this.store.get(file.sha256) };
  }

  /** Reads a blob by address, verified (for clients that fetch files by sha256). */
  async readBlob(sha256: string): Promise<Buffer> {
    return this.store.get(sha256);
  }

  /** Checks pg and the store answer (readiness). */
  async ping(): Promise<void> {
    await execQuery(this.pool, 'ping');
    await this.store.ping();
  }

  private async assertFilesStored(manifest: BundleManifest): Promise<void> {
    for (const [index, file] of manifest.files.entries()) {
      const stored = await this.store.stat(file.sha256);
      const field = `manifest.files[${index}]`;
      if (stored === undefined) {
        throw new RegistryError('REG_ARTIFACT_MISSING', `file "${file.path}" (${file.sha256}) was not uploaded; PUT it to /blobs first`, { field });
      }
      if (stored.bytes !== file.bytes) {
        throw new RegistryError('REG_CHECKSUM_MISMATCH', `file "${file.path}" is ${stored.bytes} bytes in the store, the manifest says ${file.bytes}`, { field });
      }
    }
  }

  private async lockOrCreateModel(client: Queryable, model: string, actor: string): Promise<number> {
    if (this.createModelOnRegister) {
      await execQuery(client, 'insert-model', [model, '', actor]);
    }
    return lockModel(client, model);
  }
}
