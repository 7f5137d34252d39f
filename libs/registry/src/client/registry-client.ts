import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { z } from 'zod';

import type { BundleSource } from '../bundle/bundle-source.js';
import {
  aliasAtSchema,
  aliasListSchema,
  aliasRecordSchema,
  API_PREFIX,
  blobResultSchema,
  errorBodySchema,
  historySchema,
  manifestResultSchema,
  modelListSchema,
  modelRecordSchema,
  moveResultSchema,
  registerResultSchema,
  versionListSchema,
  versionRecordSchema,
  waitResultSchema,
} from '../api/contract.js';
import type {
  createRunBodySchema,
  updateRunBodySchema,
  updateVersionBodySchema} from '../api/runs-contract.js';
import {
  comparisonSchema,
  createRunResultSchema,
  logMetricsResultSchema,
  metricHistorySchema,
  runArtifactSchema,
  runDetailSchema,
  runListSchema
} from '../api/runs-contract.js';
import { MAX_PAGE_SIZE, type PageRequest } from '../paging/page.js';
import { REGISTRY_ERROR_CODES, RegistryError, type RegistryErrorCode } from '../errors.js';
import { BUNDLE_MANIFEST_FILE, type BundleManifest, parseBundleManifest } from '../manifest/bundle-manifest.js';

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

type ModelRecordDto = z.output<typeof modelRecordSchema>;
type VersionRecordDto = z.output<typeof versionRecordSchema>;
type AliasRecordDto = z.output<typeof aliasRecordSchema>;
type MoveResultDto = z.output<typeof moveResultSchema>;

const KNOWN_CODES: ReadonlySet<string> = new Set(REGISTRY_ERROR_CODES);

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Typed HTTP client of the registry: what the trainer (register), the serving pods (resolve,
 * wait, fetch) and the `registry` CLI use. Every response is parsed with the contract's zod
 * schemas; every error comes back as a `RegistryError` with the server's code and field; every
 * downloaded file is checked against its sha256 here too (end-to-end, not only on the server).
 */
export class RegistryClient implements BundleSource {
  private readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  /** @throws RegistryError (`REG_OPTIONS_INVALID`, field `baseUrl`) on a URL that is not http(s). */
  constructor(options: RegistryClientOptions) {
    const merged = { ...DEFAULT_REGISTRY_CLIENT_OPTIONS, ...options };
    if (!URL.canParse(merged.baseUrl) || !['http:', 'https:'].includes(new URL(merged.baseUrl).protocol)) {
      throw new RegistryError('REG_OPTIONS_INVALID', `baseUrl must be an http(s) URL, got "${merged.baseUrl}"`, { field: 'baseUrl' });
    }
    this.baseUrl = merged.baseUrl.replace(/\/+$/, '');
    this.token = merged.token;
    this.timeoutMs = merged.timeoutMs;
    this.fetchFn = merged.fetch ?? fetch;
  }

  /** Every model, by name (reads page after page). */
  async listModels(): Promise<ModelRecordDto[]> {
    const out: ModelRecordDto[] = [];
    let token: string | null = null;
    do {
      const page: z.output<typeof modelListSchema> = await this.json('GET', `/models${query({ limit: String(MAX_PAGE_SIZE), pageToken: token })}`, modelListSchema);
      out.push(...page.models);
      token = page.nextPageToken;
    } while (token !== null);
    return out;
  }

  async getModel(model: string): Promise<ModelRecordDto> {
    return this.json('GET', `/models/${enc(model)}`, modelRecordSchema);
  }

  async createModel(name: string, description?: string): Promise<ModelRecordDto> {
    return this.json('POST', '/models', modelRecordSchema, { name, ...(description === undefined ? {} : { description }) });
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
  async listVersionsPage(model: string, page: PageRequest = {}): Promise<z.output<typeof versionListSchema>> {
    return this.json('GET', `/models/${enc(model)}/versions${query({ limit: page.limit === undefined ? null : String(page.limit), pageToken: page.pageToken ?? null })}`, versionListSchema);
  }

  /** Edits a version's description and tags (its content stays immutable). */
  async updateVersion(model: string, version: number, body: z.input<typeof updateVersionBodySchema>): Promise<VersionRecordDto> {
    return this.json('PATCH', `/models/${enc(model)}/versions/${version}`, versionRecordSchema, body);
  }

  /** Two or more versions side by side: evaluation tables, training and cold-start curves. */
  async compareVersions(model: string, versions: readonly number[]): Promise<z.output<typeof comparisonSchema>> {
    return this.json('GET', `/models/${enc(model)}/compare${query({ versions: versions.join(',') })}`, comparisonSchema);
  }

  /** Starts a run record (a retry with the same parameters returns the existing run). */
  async createRun(body: z.input<typeof createRunBodySchema>): Promise<z.output<typeof createRunResultSchema>> {
    return this.json('POST', '/runs', createRunResultSchema, body);
  }

  async getRun(runId: string): Promise<z.output<typeof runDetailSchema>> {
    return this.json('GET', `/runs/${enc(runId)}`, runDetailSchema);
  }

  /** One page of runs, newest first, filtered (`q` name/id search, `status`, `tag` key=value, `metric` e.g. `validation/loss<0.9`). */
  async listRuns(filter: { readonly experiment?: string; readonly q?: string; readonly status?: string; readonly tag?: readonly string[]; readonly metric?: string } & PageRequest = {}): Promise<z.output<typeof runListSchema>> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(filter)) {
      for (const v of Array.isArray(value) ? (value as unknown[]) : [value]) {
        if (v !== undefined) {
          params.append(key, String(v));
        }
      }
    }
    const text = params.toString();
    return this.json('GET', `/runs${text === '' ? '' : `?${text}`}`, runListSchema);
  }

  /** Renames, retags or ends a run. */
  async updateRun(runId: string, body: z.input<typeof updateRunBodySchema>): Promise<z.output<typeof runDetailSchema>> {
    return this.json('PATCH', `/runs/${enc(runId)}`, runDetailSchema, body);
  }

  /** Logs metric values of a run (at most `MAX_METRIC_BATCH` per call). */
  async logMetrics(runId: string, metrics: ReadonlyArray<{ readonly key: string; readonly step: number; readonly value: number }>): Promise<number> {
    return (await this.json('POST', `/runs/${enc(runId)}/metrics`, logMetricsResultSchema, { metrics })).logged;
  }

  /** A run's metric history, by key then step (one key when given). */
  async metricHistory(runId: string, key?: string): Promise<z.output<typeof metricHistorySchema>['metrics']> {
    return (await this.json('GET', `/runs/${enc(runId)}/metrics${query({ key: key ?? null })}`, metricHistorySchema)).metrics;
  }

  /** Uploads bytes (when the registry lacks them) and records them as a run artifact at `path`. */
  async logRunArtifact(runId: string, path: string, bytes: Uint8Array, contentType?: string): Promise<z.output<typeof runArtifactSchema>> {
    const sha = sha256(bytes);
    if (!(await this.hasBlob(sha))) {
      await this.putBlob(bytes, sha);
    }
    return this.json('POST', `/runs/${enc(runId)}/artifacts`, runArtifactSchema, { path, sha256: sha, bytes: bytes.length, ...(contentType === undefined ? {} : { contentType }) });
  }

  async getVersion(model: string, version: number): Promise<VersionRecordDto> {
    return this.json('GET', `/models/${enc(model)}/versions/${version}`, versionRecordSchema);
  }

  async archiveVersion(model: string, version: number, reason = ''): Promise<VersionRecordDto> {
    return this.json('POST', `/models/${enc(model)}/versions/${version}/archive`, versionRecordSchema, { reason });
  }

  /** Registers a version whose files are already uploaded (see `registerBundleDir`). */
  async registerVersion(model: string, manifest: BundleManifest, options: { readonly version?: number } = {}): Promise<{ created: boolean; version: VersionRecordDto }> {
    return this.json('POST', `/models/${enc(model)}/versions`, registerResultSchema, { manifest, ...(options.version === undefined ? {} : { version: options.version }) });
  }

  /**
   * Registers a bundle directory (files + `bundle-manifest.json`): checks each file against the
   * manifest locally, uploads the blobs the registry lacks, then registers the manifest.
   * @throws RegistryError `REG_CHECKSUM_MISMATCH` (field = path) before any upload when a file does not match.
   */
  async registerBundleDir(model: string, dir: string, options: { readonly version?: number } = {}): Promise<{ created: boolean; version: VersionRecordDto; uploadedBytes: number }> {
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
  async importBundle(model: string, path: string, options: { readonly version?: number } = {}): Promise<{ created: boolean; version: VersionRecordDto }> {
    return this.json('POST', `/models/${enc(model)}/versions/import`, registerResultSchema, { path, ...(options.version === undefined ? {} : { version: options.version }) });
  }

  async hasBlob(sha: string): Promise<boolean> {
    const response = await this.request('HEAD', `/blobs/${enc(sha)}`);
    if (response.status === 404) {
      return false;
    }
    await this.ensureOk(response);
    return true;
  }

  async putBlob(bytes: Uint8Array, sha?: string): Promise<{ sha256: string; bytes: number }> {
    return this.json('PUT', `/blobs/${enc(sha ?? sha256(bytes))}`, blobResultSchema, bytes);
  }

  /** A blob by sha256, verified on arrival. @throws RegistryError `REG_CHECKSUM_MISMATCH`. */
  async readBlob(sha: string): Promise<Buffer> {
    const response = await this.request('GET', `/blobs/${enc(sha)}`);
    await this.ensureOk(response);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (sha256(bytes) !== sha) {
      throw new RegistryError('REG_CHECKSUM_MISMATCH', `blob ${sha} arrived with other bytes`, { field: 'sha256' });
    }
    return bytes;
  }

  /** The manifest behind a version number or an alias: the serving read path. */
  async resolveManifest(model: string, ref: string): Promise<{ version: number; manifest: BundleManifest; contentSha256: string }> {
    const result = await this.json('GET', `/models/${enc(model)}/refs/${enc(ref)}/manifest`, manifestResultSchema);
    return { version: result.version, manifest: result.manifest, contentSha256: result.contentSha256 };
  }

  async listAliases(model: string): Promise<AliasRecordDto[]> {
    return (await this.json('GET', `/models/${enc(model)}/aliases`, aliasListSchema)).aliases;
  }

  async resolveAlias(model: string, alias: string): Promise<AliasRecordDto> {
    return this.json('GET', `/models/${enc(model)}/aliases/${enc(alias)}`, aliasRecordSchema);
  }

  /** Points an alias at a version; `production` goes through the gate unless `override` (with a reason). */
  async moveAlias(model: string, alias: string, version: number, options: { readonly reason?: string; readonly override?: boolean } = {}): Promise<MoveResultDto> {
    return this.json('PUT', `/models/${enc(model)}/aliases/${enc(alias)}`, moveResultSchema, { version, reason: options.reason ?? '', override: options.override ?? false });
  }

  async rollback(model: string, alias: string, reason = ''): Promise<MoveResultDto> {
    return this.json('POST', `/models/${enc(model)}/aliases/${enc(alias)}/rollback`, moveResultSchema, { reason });
  }

  async aliasHistory(model: string, alias: string, limit = 100): Promise<z.output<typeof historySchema>['events']> {
    return (await this.json('GET', `/models/${enc(model)}/aliases/${enc(alias)}/history?limit=${limit}`, historySchema)).events;
  }

  /** One page of an alias's audit log, newest first (`nextPageToken` continues it). */
  async aliasHistoryPage(model: string, alias: string, page: PageRequest = {}): Promise<z.output<typeof historySchema>> {
    return this.json('GET', `/models/${enc(model)}/aliases/${enc(alias)}/history${query({ limit: String(page.limit ?? 100), pageToken: page.pageToken ?? null })}`, historySchema);
  }

  async aliasAt(model: string, alias: string, time: Date): Promise<z.output<typeof aliasAtSchema>> {
    return this.json('GET', `/models/${enc(model)}/aliases/${enc(alias)}/at?time=${encodeURIComponent(time.toISOString())}`, aliasAtSchema);
  }

  /** One long-poll: returns when the alias moves past `afterEventId` or after `timeoutMs`. */
  async waitForAlias(model: string, alias: string, afterEventId: number, timeoutMs: number, signal?: AbortSignal): Promise<z.output<typeof waitResultSchema>> {
    return this.json('GET', `/models/${enc(model)}/aliases/${enc(alias)}/wait?after=${afterEventId}&timeoutMs=${timeoutMs}`, waitResultSchema, undefined, {
      timeoutMs: timeoutMs + this.timeoutMs,
      ...(signal === undefined ? {} : { signal }),
    });
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

  private async json<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown, extra: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<z.output<S>> {
    const response = await this.request(method, path, body, extra);
    await this.ensureOk(response);
    const parsed = schema.safeParse(await response.json());
    if (!parsed.success) {
      throw new RegistryError('REG_HTTP', `${method} ${path}: unexpected response shape`, { cause: parsed.error, details: { status: response.status } });
    }
    return parsed.data;
  }

  private async request(method: string, path: string, body?: unknown, extra: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.token !== undefined) {
      headers['authorization'] = `Bearer ${this.token}`;
    }
    let payload: Uint8Array | string | undefined;
    if (body instanceof Uint8Array) {
      headers['content-type'] = 'application/octet-stream';
      payload = body;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const timeout = AbortSignal.timeout(extra.timeoutMs ?? this.timeoutMs);
    const signal = extra.signal === undefined ? timeout : AbortSignal.any([timeout, extra.signal]);
    try {
      return await this.fetchFn(`${this.baseUrl}${API_PREFIX}${path}`, { method, headers, body: payload, signal });
    } catch (error) {
      throw new RegistryError('REG_HTTP', `${method} ${path} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  private async ensureOk(response: Response): Promise<void> {
    if (response.ok) {
      return;
    }
    const text = await response.text();
    let body: z.output<typeof errorBodySchema> | undefined;
    try {
      const parsed = errorBodySchema.safeParse(JSON.parse(text));
      body = parsed.success ? parsed.data : undefined;
    } catch {
      body = undefined; // not JSON (a proxy's HTML page): reported below with the status
    }
    const code: RegistryErrorCode = body !== undefined && KNOWN_CODES.has(body.code) ? (body.code as RegistryErrorCode) : 'REG_HTTP';
    throw new RegistryError(code, body?.message ?? `HTTP ${response.status}: ${text.slice(0, 200)}`, {
      ...(body?.field === undefined ? {} : { field: body.field }),
      details: { ...(body?.details ?? {}), status: response.status },
    });
  }
}

/** `?a=1&b=2` of the non-null entries, or '' when none. */
function query(entries: Readonly<Record<string, string | null>>): string {
  const params = new URLSearchParams(Object.entries(entries).filter((e): e is [string, string] => e[1] !== null));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
