import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import createClient, { type Client } from 'openapi-fetch';

import { errorBodySchema } from '../api/contract.js';
import type { BundleSource } from '../bundle/bundle-source.js';
import { MAX_PAGE_SIZE, type PageRequest } from '../paging/page.js';
import { REGISTRY_ERROR_CODES, RegistryError, type RegistryErrorCode } from '../errors.js';
import { BUNDLE_MANIFEST_FILE, type BundleManifest, parseBundleManifest } from '../manifest/bundle-manifest.js';
import type { components, paths } from './generated/registry-api.js';

/** Options of `RegistryClient`. */
export interface RegistryClientOptions {
  /** Registry base URL, e.g. `http://registry:8081`. */
  readonly baseUrl: string;
  /** Bearer token for writes (and reads when the registry guards them). @defaultValue none */
  readonly token?: string;
  /** Per-request timeout for ordinary calls, ms (long-polls add their own wait). @defaultValue `10_000` */
  readonly timeoutMs?: number;
  /** Injected fetch (tests, proxies). @defaultValue global `fetch` */
  readonly fetch?: typeof fetch;
}

/** Defaults laid under `RegistryClientOptions`. */
export const DEFAULT_REGISTRY_CLIENT_OPTIONS = { timeoutMs: 10_000 } as const;

type Schemas = components['schemas'];
/** A model as the registry answers it (type generated from its OpenAPI document). */
export type ModelRecordDto = Schemas['ModelRecord'];
/** A version as the registry answers it (generated). */
export type VersionRecordDto = Schemas['VersionRecord'];
/** An alias as the registry answers it (generated). */
export type AliasRecordDto = Schemas['AliasRecord'];
/** One audit-log entry of an alias (generated). */
export type AliasEventDto = Schemas['AliasEvent'];
/** The answer to an alias move or rollback (generated). */
export type MoveResultDto = Schemas['MoveResult'];
/** The answer to a version registration or import (generated). */
export type RegisterResultDto = Schemas['RegisterResult'];
/** A run record (generated). */
export type RunRecordDto = Schemas['RunRecord'];
/** A run with its artifacts and linked versions (generated). */
export type RunDetailDto = Schemas['RunDetail'];
/** One artifact of a run (generated). */
export type RunArtifactDto = Schemas['RunArtifact'];
/** Versions side by side (generated). */
export type ComparisonDto = Schemas['Comparison'];
type Json<P extends keyof paths, M extends 'get' | 'put' | 'post' | 'patch', S extends 200 | 201> = paths[P][M] extends { readonly responses: { readonly [K in S]: { content: { readonly 'application/json': infer T } } } } ? T : never;
type Body<P extends keyof paths, M extends 'post' | 'patch'> = paths[P][M] extends { readonly requestBody?: { readonly content: { readonly 'application/json': infer T } } } ? T : never;
type ModelListDto = Json<'/api/v1/models', 'get', 200>;
type VersionListDto = Json<'/api/v1/models/{model}/versions', 'get', 200>;
type HistoryDto = Json<'/api/v1/models/{model}/aliases/{alias}/history', 'get', 200>;
type CreateRunResultDto = Json<'/api/v1/runs', 'post', 201>;
type RunListDto = Json<'/api/v1/runs', 'get', 200>;
type MetricHistoryDto = Json<'/api/v1/runs/{runId}/metrics', 'get', 200>;
type RunListQuery = NonNullable<paths['/api/v1/runs']['get']['parameters']['query']>;
/** Body of `createRun` (generated from the server's schema). */
export type CreateRunBody = Body<'/api/v1/runs', 'post'>;
/** Body of `updateRun` (generated). */
export type UpdateRunBody = Body<'/api/v1/runs/{runId}', 'patch'>;
/** Body of `updateVersion` (generated). */
export type UpdateVersionBody = Body<'/api/v1/models/{model}/versions/{version}', 'patch'>;
type AliasAtDto = Json<'/api/v1/models/{model}/aliases/{alias}/at', 'get', 200>;
type WaitResultDto = Json<'/api/v1/models/{model}/aliases/{alias}/wait', 'get', 200>;
type BlobResultDto = Json<'/api/v1/blobs/{sha256}', 'put', 201>;

/** What an openapi-fetch call resolves to. */
interface CallResult<D> {
  readonly data?: D;
  readonly error?: unknown;
  readonly response: Response;
}

/** Per-call transport settings. */
interface CallSettings {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

const KNOWN_CODES: ReadonlySet<string> = new Set(REGISTRY_ERROR_CODES);

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Typed HTTP client of the registry: what the trainer (register), the serving pods (resolve,
 * wait, fetch) and the `registry` CLI use. Requests and responses are typed by
 * `generated/registry-api.ts`, generated from the registry's OpenAPI document (which the server
 * builds from the same zod schemas it validates with), and sent with openapi-fetch. Every error
 * comes back as a `RegistryError` with the server's code and field; manifests are parsed with the
 * manifest schema; every downloaded file is checked against its sha256 here too (end-to-end, not
 * only on the server).
 */
export class RegistryClient implements BundleSource {
  private readonly client: Client<paths>;
  private readonly timeoutMs: number;

  /** @throws RegistryError (`REG_OPTIONS_INVALID`, field `baseUrl`) on a URL that is not http(s). */
  constructor(options: RegistryClientOptions) {
    const merged = { ...DEFAULT_REGISTRY_CLIENT_OPTIONS, ...options };
    if (!URL.canParse(merged.baseUrl) || !['http:', 'https:'].includes(new URL(merged.baseUrl).protocol)) {
      throw new RegistryError('REG_OPTIONS_INVALID', `baseUrl must be an http(s) URL, got "${merged.baseUrl}"`, { field: 'baseUrl' });
    }
    this.timeoutMs = merged.timeoutMs;
    const fetchFn = merged.fetch ?? fetch;
    this.client = createClient<paths>({
      baseUrl: merged.baseUrl.replace(/\/+$/, ''),
      // Resolved per call, so a test (or proxy) can swap the global fetch after construction.
      fetch: (request) => (merged.fetch === undefined ? fetch(request) : fetchFn(request)),
      ...(merged.token === undefined ? {} : { headers: { authorization: `Bearer ${merged.token}` } }),
    });
  }

  /** Every model, by name (reads page after page). */
  async listModels(): Promise<ModelRecordDto[]> {
    const out: ModelRecordDto[] = [];
    let token: string | null = null;
    do {
      const pageToken = token;
      const page: ModelListDto = await this.data('GET /models', (init) =>
        this.client.GET('/api/v1/models', { ...init, params: { query: { limit: String(MAX_PAGE_SIZE), ...(pageToken === null ? {} : { pageToken }) } } }),
      );
      out.push(...page.models);
      token = page.nextPageToken;
    } while (token !== null);
    return out;
  }

  async getModel(model: string): Promise<ModelRecordDto> {
    return this.data('GET /models/{model}', (init) => this.client.GET('/api/v1/models/{model}', { ...init, params: { path: { model } } }));
  }

  async createModel(name: string, description?: string): Promise<ModelRecordDto> {
    return this.data('POST /models', (init) => this.client.POST('/api/v1/models', { ...init, body: { name, ...(description === undefined ? {} : { description }) } }));
  }

  /** Every version of a model, newest first (reads page after page; see `listVersionsPage`). */
  async listVersions(model: string): Promise<VersionRecordDto[]> {
    const out: VersionRecordDto[] = [];
    let token: string | null = null;
    do {
      const page = await this.listVersionsPage(model, { limit: MAX_PAGE_SIZE, ...(token === null ? {} : { pageToken: token }) });
      out.push(...page.versions);
      token = page.nextPageToken;
    } while (token !== null);
    return out;
  }

  /** One page of a model's versions, newest first. */
  async listVersionsPage(model: string, page: PageRequest = {}): Promise<VersionListDto> {
    return this.data('GET /models/{model}/versions', (init) =>
      this.client.GET('/api/v1/models/{model}/versions', { ...init, params: { path: { model }, query: pageQuery(page) } }),
    );
  }

  /** Edits a version's description and tags (its content stays immutable). */
  async updateVersion(model: string, version: number, body: UpdateVersionBody): Promise<VersionRecordDto> {
    return this.data('PATCH /models/{model}/versions/{version}', (init) =>
      this.client.PATCH('/api/v1/models/{model}/versions/{version}', { ...init, params: { path: { model, version: String(version) } }, body }),
    );
  }

  /** Two or more versions side by side: evaluation tables, training and cold-start curves. */
  async compareVersions(model: string, versions: readonly number[]): Promise<ComparisonDto> {
    return this.data('GET /models/{model}/compare', (init) =>
      this.client.GET('/api/v1/models/{model}/compare', { ...init, params: { path: { model }, query: { versions: versions.join(',') } } }),
    );
  }

  /** Starts a run record (a retry with the same parameters returns the existing run). */
  async createRun(body: CreateRunBody): Promise<CreateRunResultDto> {
    return this.data('POST /runs', (init) => this.client.POST('/api/v1/runs', { ...init, body }));
  }

  async getRun(runId: string): Promise<RunDetailDto> {
    return this.data('GET /runs/{runId}', (init) => this.client.GET('/api/v1/runs/{runId}', { ...init, params: { path: { runId } } }));
  }

  /** One page of runs, newest first, filtered (`q` name/id search, `status`, `tag` key=value, `metric` e.g. `validation/loss<0.9`). */
  async listRuns(filter: Omit<RunListQuery, 'limit' | 'pageToken' | 'tag'> & { readonly tag?: readonly string[] } & PageRequest = {}): Promise<RunListDto> {
    const { limit, pageToken, tag, ...rest } = filter;
    const query: RunListQuery = {
      ...rest,
      ...pageQuery({ ...(limit === undefined ? {} : { limit }), ...(pageToken === undefined ? {} : { pageToken }) }),
      // Repeated as `tag=a&tag=b` (openapi-fetch's default for arrays: form, exploded).
      ...(tag === undefined || tag.length === 0 ? {} : { tag: [...tag] }),
    };
    return this.data('GET /runs', (init) => this.client.GET('/api/v1/runs', { ...init, params: { query } }));
  }

  /** Renames, retags or ends a run. */
  async updateRun(runId: string, body: UpdateRunBody): Promise<RunDetailDto> {
    return this.data('PATCH /runs/{runId}', (init) => this.client.PATCH('/api/v1/runs/{runId}', { ...init, params: { path: { runId } }, body }));
  }

  /** Logs metric values of a run (at most `MAX_METRIC_BATCH` per call). */
  async logMetrics(runId: string, metrics: ReadonlyArray<{ readonly key: string; readonly step: number; readonly value: number }>): Promise<number> {
    const result = await this.data('POST /runs/{runId}/metrics', (init) =>
      this.client.POST('/api/v1/runs/{runId}/metrics', { ...init, params: { path: { runId } }, body: { metrics: [...metrics] } }),
    );
    return result.logged;
  }

  /** A run's metric history, by key then step (one key when given). */
  async metricHistory(runId: string, key?: string): Promise<MetricHistoryDto['metrics']> {
    const result = await this.data('GET /runs/{runId}/metrics', (init) =>
      this.client.GET('/api/v1/runs/{runId}/metrics', { ...init, params: { path: { runId }, query: key === undefined ? {} : { key } } }),
    );
    return result.metrics;
  }

  /** Uploads bytes (when the registry lacks them) and records them as a run artifact at `path`. */
  async logRunArtifact(runId: string, path: string, bytes: Uint8Array, contentType?: string): Promise<RunArtifactDto> {
    const sha = sha256(bytes);
    if (!(await this.hasBlob(sha))) {
      await this.putBlob(bytes, sha);
    }
    return this.data('POST /runs/{runId}/artifacts', (init) =>
      this.client.POST('/api/v1/runs/{runId}/artifacts', {
        ...init,
        params: { path: { runId } },
        body: { path, sha256: sha, bytes: bytes.length, ...(contentType === undefined ? {} : { contentType }) },
      }),
    );
  }

  async getVersion(model: string, version: number): Promise<VersionRecordDto> {
    return this.data('GET /models/{model}/versions/{version}', (init) =>
      this.client.GET('/api/v1/models/{model}/versions/{version}', { ...init, params: { path: { model, version: String(version) } } }),
    );
  }

  async archiveVersion(model: string, version: number, reason = ''): Promise<VersionRecordDto> {
    return this.data('POST /models/{model}/versions/{version}/archive', (init) =>
      this.client.POST('/api/v1/models/{model}/versions/{version}/archive', { ...init, params: { path: { model, version: String(version) } }, body: { reason } }),
    );
  }

  /** Registers a version whose files are already uploaded (see `registerBundleDir`). */
  async registerVersion(model: string, manifest: BundleManifest, options: { readonly version?: number } = {}): Promise<RegisterResultDto> {
    return this.data('POST /models/{model}/versions', (init) =>
      this.client.POST('/api/v1/models/{model}/versions', { ...init, params: { path: { model } }, body: { manifest, ...(options.version === undefined ? {} : { version: options.version }) } }),
    );
  }

  /**
   * Registers a bundle directory (files + `bundle-manifest.json`): checks each file against the
   * manifest locally, uploads the blobs the registry lacks, then registers the manifest.
   * @throws RegistryError `REG_CHECKSUM_MISMATCH` (field = path) before any upload when a file does not match.
   */
  async registerBundleDir(model: string, dir: string, options: { readonly version?: number } = {}): Promise<RegisterResultDto & { uploadedBytes: number }> {
    const manifest = parseBundleManifest(JSON.parse(await readFile(join(dir, BUNDLE_MANIFEST_FILE), 'utf8')) as unknown);
    const files = await Promise.all(manifest.files.map(async (file) => ({ file, bytes: await readFile(join(dir, file.path)) })));
    for (const { file, bytes } of files) {
      if (sha256(bytes) !== file.sha256 || bytes.length !== file.bytes) {
        throw new RegistryError('REG_CHECKSUM_MISMATCH', `${file.path} does not match bundle-manifest.json`, { field: file.path });
      }
    }
    let uploadedBytes = 0;
    for (const { file, bytes } of files) {
      if (!(await this.hasBlob(file.sha256))) {
        await this.putBlob(bytes, file.sha256);
        uploadedBytes += bytes.length;
      }
    }
    return { ...(await this.registerVersion(model, manifest, options)), uploadedBytes };
  }

  /** Registers a bundle the trainer wrote on the registry's import volume (`path` relative to its root). */
  async importBundle(model: string, path: string, options: { readonly version?: number } = {}): Promise<RegisterResultDto> {
    return this.data('POST /models/{model}/versions/import', (init) =>
      this.client.POST('/api/v1/models/{model}/versions/import', { ...init, params: { path: { model } }, body: { path, ...(options.version === undefined ? {} : { version: options.version }) } }),
    );
  }

  async hasBlob(sha: string): Promise<boolean> {
    const { response } = await this.call('HEAD /blobs/{sha256}', (init) => this.client.HEAD('/api/v1/blobs/{sha256}', { ...init, params: { path: { sha256: sha } } }), { allowStatus: 404 });
    return response.status !== 404;
  }

  async putBlob(bytes: Uint8Array, sha?: string): Promise<BlobResultDto> {
    return this.data('PUT /blobs/{sha256}', (init) =>
      this.client.PUT('/api/v1/blobs/{sha256}', {
        ...init,
        params: { path: { sha256: sha ?? sha256(bytes) } },
        body: bytes,
        headers: { 'content-type': 'application/octet-stream' },
        // The bytes as they are (openapi-fetch would JSON-encode a body by default).
        bodySerializer: (body: Uint8Array) => body,
      }),
    );
  }

  /** A blob by sha256, verified on arrival. @throws RegistryError `REG_CHECKSUM_MISMATCH`. */
  async readBlob(sha: string): Promise<Buffer> {
    const body = await this.data('GET /blobs/{sha256}', (init) => this.client.GET('/api/v1/blobs/{sha256}', { ...init, params: { path: { sha256: sha } }, parseAs: 'arrayBuffer' }));
    const bytes = Buffer.from(body);
    if (sha256(bytes) !== sha) {
      throw new RegistryError('REG_CHECKSUM_MISMATCH', `blob ${sha} arrived with other bytes`, { field: 'sha256' });
    }
    return bytes;
  }

  /** The manifest behind a version number or an alias: the serving read path. */
  async resolveManifest(model: string, ref: string): Promise<{ version: number; manifest: BundleManifest; contentSha256: string }> {
    const result = await this.data('GET /models/{model}/refs/{ref}/manifest', (init) =>
      this.client.GET('/api/v1/models/{model}/refs/{ref}/manifest', { ...init, params: { path: { model, ref } } }),
    );
    return { version: result.version, manifest: this.manifest(result.manifest), contentSha256: result.contentSha256 };
  }

  async listAliases(model: string): Promise<AliasRecordDto[]> {
    return (await this.data('GET /models/{model}/aliases', (init) => this.client.GET('/api/v1/models/{model}/aliases', { ...init, params: { path: { model } } }))).aliases;
  }

  async resolveAlias(model: string, alias: string): Promise<AliasRecordDto> {
    return this.data('GET /models/{model}/aliases/{alias}', (init) => this.client.GET('/api/v1/models/{model}/aliases/{alias}', { ...init, params: { path: { model, alias } } }));
  }

  /** Points an alias at a version; `production` goes through the gate unless `override` (with a reason). */
  async moveAlias(model: string, alias: string, version: number, options: { readonly reason?: string; readonly override?: boolean } = {}): Promise<MoveResultDto> {
    return this.data('PUT /models/{model}/aliases/{alias}', (init) =>
      this.client.PUT('/api/v1/models/{model}/aliases/{alias}', { ...init, params: { path: { model, alias } }, body: { version, reason: options.reason ?? '', override: options.override ?? false } }),
    );
  }

  async rollback(model: string, alias: string, reason = ''): Promise<MoveResultDto> {
    return this.data('POST /models/{model}/aliases/{alias}/rollback', (init) =>
      this.client.POST('/api/v1/models/{model}/aliases/{alias}/rollback', { ...init, params: { path: { model, alias } }, body: { reason } }),
    );
  }

  async aliasHistory(model: string, alias: string, limit = 100): Promise<AliasEventDto[]> {
    const result = await this.data('GET /models/{model}/aliases/{alias}/history', (init) =>
      this.client.GET('/api/v1/models/{model}/aliases/{alias}/history', { ...init, params: { path: { model, alias }, query: { limit: String(limit) } } }),
    );
    return result.events;
  }

  /** One page of an alias's audit log, newest first (`nextPageToken` continues it). */
  async aliasHistoryPage(model: string, alias: string, page: PageRequest = {}): Promise<HistoryDto> {
    return this.data('GET /models/{model}/aliases/{alias}/history', (init) =>
      this.client.GET('/api/v1/models/{model}/aliases/{alias}/history', { ...init, params: { path: { model, alias }, query: pageQuery({ limit: page.limit ?? 100, ...(page.pageToken === undefined ? {} : { pageToken: page.pageToken }) }) } }),
    );
  }

  async aliasAt(model: string, alias: string, time: Date): Promise<AliasAtDto> {
    return this.data('GET /models/{model}/aliases/{alias}/at', (init) =>
      this.client.GET('/api/v1/models/{model}/aliases/{alias}/at', { ...init, params: { path: { model, alias }, query: { time: time.toISOString() } } }),
    );
  }

  /** One long-poll: returns when the alias moves past `afterEventId` or after `timeoutMs`. */
  async waitForAlias(model: string, alias: string, afterEventId: number, timeoutMs: number, signal?: AbortSignal): Promise<WaitResultDto> {
    return this.data(
      'GET /models/{model}/aliases/{alias}/wait',
      (init) => this.client.GET('/api/v1/models/{model}/aliases/{alias}/wait', { ...init, params: { path: { model, alias }, query: { after: String(afterEventId), timeoutMs: String(timeoutMs) } } }),
      { timeoutMs: timeoutMs + this.timeoutMs, ...(signal === undefined ? {} : { signal }) },
    );
  }

  /**
   * Calls `onChange` every time the alias moves, until `signal` aborts. Uses long-polls; when
   * one fails (registry restarting, proxy cutting idle requests) it falls back to plain polling
   * every `pollIntervalMs` until long-polls work again, so a pod never misses a promotion.
   */
  async watchAlias(
    model: string,
    alias: string,
    options: { readonly onChange: (alias: AliasRecordDto) => void | Promise<void>; readonly signal: AbortSignal; readonly afterEventId?: number; readonly longPollMs?: number; readonly pollIntervalMs?: number; readonly onError?: (error: unknown) => void },
  ): Promise<void> {
    let after = options.afterEventId ?? 0;
    const pollIntervalMs = options.pollIntervalMs ?? 5_000;
    while (!options.signal.aborted) {
      try {
        const result = await this.waitForAlias(model, alias, after, options.longPollMs ?? 25_000, options.signal);
        if (result.changed && result.alias !== null) {
          after = result.alias.eventId;
          await options.onChange(result.alias);
        }
      } catch (error) {
        if (options.signal.aborted) {
          return;
        }
        options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
        try {
          const current = await this.resolveAlias(model, alias);
          if (current.eventId > after) {
            after = current.eventId;
            await options.onChange(current);
          }
        } catch (pollError) {
          options.onError?.(pollError);
        }
      }
    }
  }

  /** A call's body, or the `RegistryError` its status and error body stand for. */
  private async data<D>(label: string, send: (init: { signal: AbortSignal }) => Promise<CallResult<D>>, settings: CallSettings = {}): Promise<D> {
    const result = await this.call(label, send, settings);
    if (result.data === undefined) {
      throw new RegistryError('REG_HTTP', `${label}: empty response`, { details: { status: result.response.status } });
    }
    return result.data;
  }

  /** Sends with a timeout; a transport failure or an error status (other than `allowStatus`) becomes a `RegistryError`. */
  private async call<D>(label: string, send: (init: { signal: AbortSignal }) => Promise<CallResult<D>>, settings: CallSettings & { readonly allowStatus?: number } = {}): Promise<CallResult<D>> {
    const timeout = AbortSignal.timeout(settings.timeoutMs ?? this.timeoutMs);
    const signal = settings.signal === undefined ? timeout : AbortSignal.any([timeout, settings.signal]);
    let result: CallResult<D>;
    try {
      result = await send({ signal });
    } catch (error) {
      throw new RegistryError('REG_HTTP', `${label} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    if (!result.response.ok && result.response.status !== settings.allowStatus) {
      throw errorFromResponse(result.response, result.error);
    }
    return result;
  }

  /** A manifest from the wire, checked with the manifest schema (the document types it, this proves it). */
  private manifest(value: unknown): BundleManifest {
    try {
      return parseBundleManifest(value);
    } catch (error) {
      throw new RegistryError('REG_HTTP', 'the registry answered a manifest that does not parse', { cause: error });
    }
  }
}

/**
 * The `RegistryError` an error response stands for: the server's code, message and field when the
 * body is the documented error body, else `REG_HTTP` with the status and the start of the text
 * (a proxy's HTML page, say). openapi-fetch hands over the body parsed as JSON, or as text.
 */
function errorFromResponse(response: Response, error: unknown): RegistryError {
  const parsed = errorBodySchema.safeParse(error);
  const body = parsed.success ? parsed.data : undefined;
  const code: RegistryErrorCode = body !== undefined && KNOWN_CODES.has(body.code) ? (body.code as RegistryErrorCode) : 'REG_HTTP';
  const text = typeof error === 'string' ? error : JSON.stringify(error ?? '');
  return new RegistryError(code, body?.message ?? `HTTP ${response.status}: ${text.slice(0, 200)}`, {
    ...(body?.field === undefined ? {} : { field: body.field }),
    details: { ...(body?.details ?? {}), status: response.status },
  });
}

/** A page request as the query string sends it (`limit` is a decimal string there). */
function pageQuery(page: PageRequest): { limit?: string; pageToken?: string } {
  return { ...(page.limit === undefined ? {} : { limit: String(page.limit) }), ...(page.pageToken === undefined ? {} : { pageToken: page.pageToken }) };
}
