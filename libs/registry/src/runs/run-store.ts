import { isDeepStrictEqual } from 'node:util';

import type { Logger } from '@metarec/runtime';
import type { Pool } from 'pg';

import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { execQuery } from '../db/sql-files.js';
import { RegistryError } from '../errors.js';
import { validateBundlePath } from '../names/validate-name.js';
import { numericPageToken, type Page, pageLimit, type PageRequest, toPage } from '../paging/page.js';
import {
  type RunArtifact,
  type RunArtifactRow,
  type RunDetail,
  type RunMetricPoint,
  type RunMetricValue,
  type RunRecord,
  type RunRow,
  type RunStatus,
  toRunArtifact,
  toRunRecord,
} from './run-records.js';
import { type MetricFilter, validateMetricKey, validateRunId, validateTagKey } from './run-names.js';
import { storableJson, validTags } from './stored-json.js';

/** Options of `RunStore`. */
export interface RunStoreOptions {
  /** Pool whose search_path holds the migrated registry tables (created and closed by the app). */
  readonly pool: Pool;
  /** Where run artifacts live, addressed by sha256 (the versions' store). */
  readonly store: ArtifactStore;
  /** @defaultValue none */
  readonly logger?: Logger;
}

/** Largest metric batch one `logMetrics` call takes (one INSERT of unnest arrays). */
export const MAX_METRIC_BATCH = 10_000;

/** Input of `RunStore.createRun`. */
export interface CreateRunInput {
  readonly runId: string;
  /** @defaultValue the run id */
  readonly name?: string;
  readonly experiment: string;
  /** The run spec; immutable once the run exists. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly tags?: Readonly<Record<string, string>>;
  /** Who starts it (from the bearer token). */
  readonly actor: string;
}

/** Input of `RunStore.updateRun`; omitted fields stay as they are. */
export interface UpdateRunInput {
  readonly runId: string;
  readonly name?: string;
  /** Ends a running run; an ended run keeps its status. */
  readonly status?: RunStatus;
  readonly setTags?: Readonly<Record<string, string>>;
  readonly removeTags?: readonly string[];
}

/** What `RunStore.listRuns` filters on; every field is optional and they combine with AND. */
export interface RunFilter {
  readonly experiment?: string;
  /** Case-insensitive substring of the run's name or id. */
  readonly search?: string;
  readonly status?: RunStatus;
  /** Tags the run must carry with these values. */
  readonly tags?: Readonly<Record<string, string>>;
  /** A comparison with a metric's value at its latest step. */
  readonly metric?: MetricFilter;
}

/** Input of `RunStore.logArtifact`: the blob must already be in the store. */
export interface LogRunArtifactInput {
  readonly runId: string;
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly contentType?: string;
}

/**
 * Training runs as first-class records, as MLflow keeps them: parameters, status, tags, metric
 * history per step, artifacts, and the model versions registered from them (found through their
 * manifests' `lineage.trainingRunId`). Parameters and artifacts are immutable (table triggers).
 */
export class RunStore {
  private readonly pool: Pool;
  private readonly store: ArtifactStore;
  private readonly logger: Logger | undefined;

  constructor(options: RunStoreOptions) {
    this.pool = options.pool;
    this.store = options.store;
    this.logger = options.logger;
  }

  /**
   * Creates a run, or returns the existing one when it was created with the same parameters
   * (a retried start); `created` says which.
   * @throws RegistryError `REG_INVALID_NAME`, `REG_RUN_CONFLICT` (the id exists with other parameters).
   */
  async createRun(input: CreateRunInput): Promise<{ readonly run: RunRecord; readonly created: boolean }> {
    validateRunId(input.runId);
    const tags = validTags(input.tags ?? {});
    const inserted = (await execQuery<RunRow>(this.pool, 'insert-run', [input.runId, input.name ?? input.runId, input.experiment, JSON.stringify(storableJson(input.params, 'params')), JSON.stringify(tags), input.actor]))[0];
    if (inserted !== undefined) {
      this.logger?.info({ runId: input.runId, experiment: input.experiment, actor: input.actor }, 'run created');
      return { run: toRunRecord(inserted, {}), created: true };
    }
    const existing = await this.getRun(input.runId);
    // jsonb normalises key order and number forms; a deep comparison of the parsed values matches that.
    if (!isDeepStrictEqual(existing.params, JSON.parse(JSON.stringify(input.params)))) {
      throw new RegistryError('REG_RUN_CONFLICT', `run "${input.runId}" exists with other parameters`, { field: 'params' });
    }
    return { run: existing, created: false };
  }

  /** A run with its latest metrics, artifacts and linked versions. @throws RegistryError `REG_RUN_NOT_FOUND`. */
  async getRun(runId: string): Promise<RunDetail> {
    const row = await this.row(runId);
    const [latest, artifacts, versions] = await Promise.all([
      this.latestMetrics([row.seq]),
      execQuery<RunArtifactRow>(this.pool, 'list-run-artifacts', [row.seq]),
      execQuery<{ model: string; version: number; archived_at: Date | null }>(this.pool, 'versions-of-run', [runId]),
    ]);
    return {
      ...toRunRecord(row, latest.get(row.seq) ?? {}),
      artifacts: artifacts.map(toRunArtifact),
      versions: versions.map((v) => ({ model: v.model, version: v.version, archived: v.archived_at !== null })),
    };
  }

  /**
   * One page of runs, newest first, filtered (name/id search, status, tags, a metric comparison).
   * @throws RegistryError `REG_INVALID_INPUT` (fields `limit`, `pageToken`), `REG_INVALID_NAME` (field `tag`).
   */
  async listRuns(filter: RunFilter = {}, page: PageRequest = {}): Promise<Page<RunRecord>> {
    const limit = pageLimit(page);
    const before = numericPageToken(page);
    const tags = filter.tags === undefined || Object.keys(filter.tags).length === 0 ? null : JSON.stringify(validTags(filter.tags, 'tag'));
    const rows = await execQuery<RunRow>(this.pool, 'list-runs', [
      filter.experiment ?? null,
      filter.search ?? null,
      filter.status ?? null,
      tags,
      filter.metric?.key ?? null,
      filter.metric?.op ?? null,
      filter.metric?.value ?? null,
      before,
      limit + 1,
    ]);
    const pageRows = toPage(rows, limit, (r) => r.seq);
    const latest = await this.latestMetrics(pageRows.items.map((r) => r.seq));
    return { items: pageRows.items.map((r) => toRunRecord(r, latest.get(r.seq) ?? {})), nextPageToken: pageRows.nextPageToken };
  }

  /**
   * Renames, retags or ends a run.
   * @throws RegistryError `REG_RUN_NOT_FOUND`, `REG_RUN_CONFLICT` (the run already ended with another status).
   */
  async updateRun(input: UpdateRunInput): Promise<RunDetail> {
    const setTags = validTags(input.setTags ?? {});
    const removeTags = (input.removeTags ?? []).map((k) => validateTagKey(k, 'removeTags'));
    const updated = await execQuery<RunRow>(this.pool, 'update-run', [validateRunId(input.runId), input.name ?? null, input.status ?? null, JSON.stringify(setTags), removeTags]);
    if (updated.length === 0) {
      const existing = await this.getRun(input.runId);
      throw new RegistryError('REG_RUN_CONFLICT', `run "${input.runId}" has ended (${existing.status}); its status cannot become ${String(input.status)}`, { field: 'status' });
    }
    if (input.status !== undefined) {
      this.logger?.info({ runId: input.runId, status: input.status }, 'run status set');
    }
    return this.getRun(input.runId);
  }

  /**
   * Logs metric values (a step logged again takes the new value: a resumed run re-logs its steps).
   * @throws RegistryError `REG_RUN_NOT_FOUND`, `REG_INVALID_NAME` (field `metrics[i].key`), `REG_INVALID_INPUT`.
   */
  async logMetrics(runId: string, points: readonly RunMetricPoint[]): Promise<{ readonly logged: number }> {
    if (points.length > MAX_METRIC_BATCH) {
      throw new RegistryError('REG_INVALID_INPUT', `at most ${MAX_METRIC_BATCH} metric values per call, got ${points.length}`, { field: 'metrics' });
    }
    points.forEach((p, i) => {
      validateMetricKey(p.key, `metrics[${i}].key`);
      if (!Number.isInteger(p.step) || p.step < 0 || p.step > 2_147_483_647 || !Number.isFinite(p.value)) {
        throw new RegistryError('REG_INVALID_INPUT', `metrics[${i}]: step must be a non-negative integer and value a finite number`, { field: `metrics[${i}]` });
      }
    });
    const row = await this.row(runId);
    await execQuery(this.pool, 'insert-run-metrics', [row.seq, points.map((p) => p.key), points.map((p) => p.step), points.map((p) => p.value)]);
    return { logged: points.length };
  }

  /** Every logged value, by key then step; one key when given. @throws RegistryError `REG_RUN_NOT_FOUND`. */
  async metricHistory(runId: string, key?: string): Promise<RunMetricPoint[]> {
    const row = await this.row(runId);
    const rows = await execQuery<{ key: string; step: number; value: number }>(this.pool, 'run-metric-history', [row.seq, key === undefined ? null : validateMetricKey(key)]);
    return rows.map((r) => ({ key: r.key, step: r.step, value: r.value }));
  }

  /**
   * Records a file of the run whose bytes were PUT to the blob store first. Logging the same path
   * with the same bytes again is a no-op.
   * @throws RegistryError `REG_RUN_NOT_FOUND`, `REG_INVALID_NAME` (field `path`), `REG_ARTIFACT_MISSING`,
   * `REG_CHECKSUM_MISMATCH`, `REG_RUN_CONFLICT` (the path holds other bytes).
   */
  async logArtifact(input: LogRunArtifactInput): Promise<RunArtifact> {
    validateBundlePath(input.path);
    const row = await this.row(input.runId);
    const stored = await this.store.stat(input.sha256);
    if (stored === undefined) {
      throw new RegistryError('REG_ARTIFACT_MISSING', `blob ${input.sha256} was not uploaded; PUT it to /blobs first`, { field: 'sha256' });
    }
    if (stored.bytes !== input.bytes) {
      throw new RegistryError('REG_CHECKSUM_MISMATCH', `blob ${input.sha256} is ${stored.bytes} bytes in the store, the request says ${input.bytes}`, { field: 'bytes' });
    }
    const inserted = (await execQuery<RunArtifactRow>(this.pool, 'insert-run-artifact', [row.seq, input.path, input.sha256, input.bytes, input.contentType ?? null]))[0];
    if (inserted !== undefined) {
      return toRunArtifact(inserted);
    }
    const existing = (await execQuery<RunArtifactRow>(this.pool, 'list-run-artifacts', [row.seq])).map(toRunArtifact).find((a) => a.path === input.path);
    if (existing?.sha256 !== input.sha256) {
      throw new RegistryError('REG_RUN_CONFLICT', `run "${input.runId}" already has "${input.path}" with other bytes; artifacts are immutable`, { field: 'path' });
    }
    return existing;
  }

  /** Reads a run artifact, verified against its sha256 by the store. @throws RegistryError `REG_RUN_NOT_FOUND`, `REG_ARTIFACT_MISSING`. */
  async readArtifact(runId: string, path: string): Promise<{ readonly artifact: RunArtifact; readonly bytes: Buffer }> {
    validateBundlePath(path);
    const detail = await this.getRun(runId);
    const artifact = detail.artifacts.find((a) => a.path === path);
    if (artifact === undefined) {
      throw new RegistryError('REG_ARTIFACT_MISSING', `run "${runId}" has no artifact "${path}"`, { field: 'path' });
    }
    return { artifact, bytes: await this.store.get(artifact.sha256) };
  }

  private async row(runId: string): Promise<RunRow> {
    const row = (await execQuery<RunRow>(this.pool, 'get-run', [validateRunId(runId)]))[0];
    if (row === undefined) {
      throw new RegistryError('REG_RUN_NOT_FOUND', `unknown run "${runId}"`, { field: 'runId' });
    }
    return row;
  }

  private async latestMetrics(seqs: readonly string[]): Promise<Map<string, Record<string, RunMetricValue>>> {
    const out = new Map<string, Record<string, RunMetricValue>>();
    if (seqs.length === 0) {
      return out;
    }
    const rows = await execQuery<{ run_seq: string; key: string; step: number; value: number }>(this.pool, 'run-latest-metrics', [[...seqs]]);
    for (const r of rows) {
      const entry = out.get(r.run_seq) ?? {};
      entry[r.key] = { step: r.step, value: r.value };
      out.set(r.run_seq, entry);
    }
    return out;
  }
}
