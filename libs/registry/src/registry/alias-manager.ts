import type { Logger } from '@metarec/runtime';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';

import type { ArtifactCheck, ArtifactStore } from '../artifacts/artifact-store.js';
import { execQuery, type Queryable } from '../db/sql-files.js';
import { withTransaction } from '../db/transaction.js';
import { RegistryError, type RegistryErrorCode } from '../errors.js';
import { decidePromotion, DEFAULT_PROMOTION_GATE_POLICY, describeGateDecision, type GateDecision, type PromotionGatePolicy } from '../gate/promotion-gate.js';
import { validateAliasName, validateModelName } from '../names/validate-name.js';
import { numericPageToken, type Page, type PageRequest, toPage } from '../paging/page.js';
import { AliasCache } from './alias-cache.js';
import { type AliasMetrics, createAliasMetrics } from './alias-metrics.js';
import type { AliasChangeWaiter } from './alias-watcher.js';
import { lockModel } from './lock-model.js';
import {
  type AliasEvent,
  type AliasEventKind,
  type AliasEventRow,
  type AliasRecord,
  type AliasRow,
  toAliasEvent,
  toAliasRecord,
  type VersionRow,
} from './records.js';

/** Options of `AliasManager`. */
export interface AliasManagerOptions {
  readonly pool: Pool;
  /**
   * The store holding the versions' files. Required: every move and rollback re-hashes each file
   * of its target first, so an alias can never be pointed at bytes a pod could not verify.
   */
  readonly store: ArtifactStore;
  /** @defaultValue none */
  readonly logger?: Logger;
  /** Aliases whose moves go through the promotion gate. @defaultValue `['production']` */
  readonly gatedAliases?: readonly string[];
  /** @defaultValue `DEFAULT_PROMOTION_GATE_POLICY` */
  readonly gatePolicy?: PromotionGatePolicy;
  /** pg NOTIFY channel announcing moves (the `AliasWatcher` LISTENs on it). @defaultValue `'metarec_registry_alias'` */
  readonly notifyChannel?: string;
  /** Source of change notifications for `waitForChange`; without one it only polls. @defaultValue none */
  readonly watcher?: AliasChangeWaiter;
  /** How often `waitForChange` re-reads the alias even without a notification, in ms. @defaultValue `1_000` */
  readonly pollIntervalMs?: number;
  /**
   * Cache resolved aliases in memory while the watcher is listening; a move on any replica
   * evicts the entry when its NOTIFY arrives (milliseconds after commit), a move on this replica
   * at once. Takes PostgreSQL off the serving pods' resolve path. Off without a watcher.
   * @defaultValue `true`
   */
  readonly cacheAliases?: boolean;
  /**
   * Registers `metarec_registry_alias_moves_total{kind}`, `metarec_registry_gate_refusals_total{reason}`
   * and `metarec_registry_long_polls` (waiting now) here. @defaultValue none (no metrics)
   */
  readonly metrics?: Registry;
}

/** Defaults laid under `AliasManagerOptions`. */
export const DEFAULT_ALIAS_MANAGER_OPTIONS = {
  gatedAliases: ['production'],
  gatePolicy: DEFAULT_PROMOTION_GATE_POLICY,
  notifyChannel: 'metarec_registry_alias',
  pollIntervalMs: 1_000,
  cacheAliases: true,
} as const;


/** Input of `AliasManager.move`. */
export interface MoveAliasInput {
  readonly model: string;
  readonly alias: string;
  readonly version: number;
  readonly actor: string;
  readonly reason: string;
  /** Move even when the gate refuses; the refusal's numbers are logged in the audit entry. @defaultValue `false` */
  readonly override?: boolean;
}

/** Outcome of a move: `moved` is false when the alias already pointed there (no audit entry). */
export interface MoveAliasResult {
  readonly alias: AliasRecord;
  readonly moved: boolean;
  readonly event: AliasEvent | null;
  readonly gate: GateDecision | null;
}

/** Largest page of the alias audit log (the history route's `limit` range). */
const MAX_HISTORY_PAGE = 1000;

const GATE_REFUSAL_CODE: Record<string, RegistryErrorCode> = {
  'worse-beyond-tolerance': 'REG_GATE_REFUSED',
  'evaluation-set-mismatch': 'REG_GATE_EVAL_SET_MISMATCH',
  'metric-missing': 'REG_GATE_METRIC_MISSING',
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Aliases (`production`, `staging`, any name) and their append-only audit log. Every move runs
 * in one transaction under the model's row lock: concurrent promotions of one model serialize,
 * each sees the previous one's result, and each real move writes exactly one audit entry.
 * Moves of gated aliases compare the candidate with the version the alias points at now.
 */
export class AliasManager {
  private readonly pool: Pool;
  private readonly store: ArtifactStore;
  private readonly logger: Logger | undefined;
  private readonly gatedAliases: ReadonlySet<string>;
  private readonly gatePolicy: PromotionGatePolicy;
  private readonly notifyChannel: string;
  private readonly watcher: AliasChangeWaiter | undefined;
  private readonly pollIntervalMs: number;
  private readonly metrics: AliasMetrics | undefined;
  private readonly cache: AliasCache | undefined;

  /** @throws RegistryError (`REG_OPTIONS_INVALID`) on a negative tolerance or a non-positive poll interval. */
  constructor(options: AliasManagerOptions) {
    const merged = { ...DEFAULT_ALIAS_MANAGER_OPTIONS, ...options };
    if (!(merged.gatePolicy.tolerance >= 0)) {
      throw new RegistryError('REG_OPTIONS_INVALID', `gatePolicy.tolerance must be >= 0, got ${merged.gatePolicy.tolerance}`, { field: 'gatePolicy.tolerance' });
    }
    if (!(merged.pollIntervalMs > 0)) {
      throw new RegistryError('REG_OPTIONS_INVALID', `pollIntervalMs must be > 0, got ${merged.pollIntervalMs}`, { field: 'pollIntervalMs' });
    }
    merged.gatedAliases.forEach((alias) => validateAliasName(alias, 'gatedAliases'));
    this.pool = merged.pool;
    this.store = merged.store;
    this.logger = merged.logger;
    this.gatedAliases = new Set(merged.gatedAliases);
    this.gatePolicy = merged.gatePolicy;
    this.notifyChannel = merged.notifyChannel;
    this.watcher = merged.watcher;
    this.pollIntervalMs = merged.pollIntervalMs;
    this.metrics = merged.metrics === undefined ? undefined : createAliasMetrics(merged.metrics);
    this.cache = merged.cacheAliases && merged.watcher !== undefined ? new AliasCache(merged.watcher) : undefined;
  }

  /** The policy gated moves are checked against. */
  get policy(): PromotionGatePolicy {
    return this.gatePolicy;
  }

  /**
   * Where an alias points now (from the cache when enabled and listening).
   * @throws RegistryError `REG_ALIAS_NOT_FOUND` (field `alias`), `REG_INVALID_NAME`.
   */
  async resolve(model: string, alias: string): Promise<AliasRecord> {
    const found = await this.findCached(model, alias);
    if (found === undefined) {
      throw new RegistryError('REG_ALIAS_NOT_FOUND', `model "${model}" has no alias "${alias}"`, { field: 'alias' });
    }
    return found;
  }

  /** Every alias of a model (the model must exist). */
  async list(model: string): Promise<AliasRecord[]> {
    validateModelName(model);
    return (await execQuery<AliasRow>(this.pool, 'list-aliases', [model])).map(toAliasRecord);
  }

  /** Audit log, newest first; one alias or all of the model's. */
  async history(model: string, alias?: string, limit = 100): Promise<AliasEvent[]> {
    return (await this.historyPage(model, alias, { limit })).items;
  }

  /**
   * One page of the audit log, newest first: `limit` events (1..1000, the history route's range)
   * older than the `pageToken` of the previous page.
   * @throws RegistryError `REG_INVALID_INPUT` (fields `limit`, `pageToken`), `REG_INVALID_NAME`.
   */
  async historyPage(model: string, alias: string | undefined, page: PageRequest): Promise<Page<AliasEvent>> {
    validateModelName(model);
    if (alias !== undefined) {
      validateAliasName(alias);
    }
    const limit = page.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_PAGE) {
      throw new RegistryError('REG_INVALID_INPUT', `limit must be an integer in 1..${MAX_HISTORY_PAGE}, got ${limit}`, { field: 'limit' });
    }
    const rows = await execQuery<AliasEventRow>(this.pool, 'alias-history', [model, alias ?? null, limit + 1, numericPageToken(page)]);
    return toPage(rows.map(toAliasEvent), limit, (e) => String(e.id));
  }

  /** The move in force at `at`: which version the alias pointed to then (`null` = not yet set). */
  async at(model: string, alias: string, at: Date): Promise<AliasEvent | null> {
    validateModelName(model);
    validateAliasName(alias);
    const row = (await execQuery<AliasEventRow>(this.pool, 'alias-at', [model, alias, at]))[0];
    return row === undefined ? null : toAliasEvent(row);
  }

  /**
   * Points an alias at a version (creating the alias), through the gate for gated aliases.
   * @throws RegistryError `REG_VERSION_NOT_FOUND`, `REG_VERSION_ARCHIVED`, `REG_GATE_REFUSED`,
   * `REG_GATE_EVAL_SET_MISMATCH`, `REG_GATE_METRIC_MISSING` (each with the numbers in `details`),
   * `REG_INVALID_INPUT` (field `reason`: an override needs a reason), `REG_VERSION_CORRUPT`
   * (a file of the target is corrupt or missing; no override skips this).
   */
  async move(input: MoveAliasInput): Promise<MoveAliasResult> {
    validateModelName(input.model);
    validateAliasName(input.alias);
    const override = input.override ?? false;
    if (override && input.reason.trim() === '') {
      throw new RegistryError('REG_INVALID_INPUT', 'overriding the promotion gate needs a reason', { field: 'reason' });
    }
    // Verified before the model lock is taken (hashing may take a while); a version's manifest is
    // immutable, so the check holds for the row the transaction reads. Unknown versions fail there.
    const targetRow = (await execQuery<VersionRow>(this.pool, 'get-version', [input.model, input.version]))[0];
    if (targetRow !== undefined) {
      await this.verifyFiles(input.model, targetRow);
    }
    const result = await withTransaction(this.pool, async (client) => {
      const modelId = await lockModel(client, input.model);
      const target = await this.activeVersion(client, input.model, input.version);
      const current = await this.findIn(client, input.model, input.alias);
      if (current?.version === input.version) {
        return { alias: current, moved: false, event: null, gate: null };
      }
      let gate: GateDecision | null = null;
      let kind: AliasEventKind = 'set';
      if (this.gatedAliases.has(input.alias)) {
        const currentRow = current === undefined ? undefined : (await execQuery<VersionRow>(client, 'get-version', [input.model, current.version]))[0];
        gate = decidePromotion(
          this.gatePolicy,
          { version: target.version, metrics: target.manifest.metrics },
          currentRow === undefined ? null : { version: currentRow.version, metrics: currentRow.manifest.metrics },
        );
        kind = 'promote';
        if (gate.outcome === 'refuse') {
          if (!override) {
            this.metrics?.refusals.inc({ reason: gate.reason });
            throw new RegistryError(GATE_REFUSAL_CODE[gate.reason] ?? 'REG_GATE_REFUSED', `promotion of ${input.model} v${input.version} to ${input.alias} refused: ${describeGateDecision(gate)}`, {
              field: 'version',
              details: { gate },
            });
          }
          kind = 'override';
        }
      }
      const event = await this.record(client, { modelId, model: input.model, alias: input.alias, from: current?.version ?? null, to: input.version, kind, actor: input.actor, reason: input.reason, gate });
      return { alias: { model: input.model, alias: input.alias, version: input.version, eventId: event.id, updatedAt: event.at }, moved: true, event, gate };
    });
    if (result.event !== null) {
      this.cache?.evict(input.model, input.alias);
      this.metrics?.moves.inc({ kind: result.event.kind });
      const level = result.event.kind === 'override' ? 'warn' : 'info';
      this.logger?.[level]({ event: result.event }, `alias ${input.model}@${input.alias} moved ${String(result.event.fromVersion)} -> ${result.event.toVersion} (${result.event.kind})`);
    }
    return result;
  }

  /**
   * Moves an alias back to the version it pointed to before its last move (no gate: rollback is
   * the emergency exit). Recorded as a `rollback` entry; a second rollback undoes the first.
   * @throws RegistryError `REG_ALIAS_NOT_FOUND`, `REG_ROLLBACK_NO_PREVIOUS`, `REG_VERSION_ARCHIVED`, `REG_VERSION_CORRUPT`.
   */
  async rollback(input: { readonly model: string; readonly alias: string; readonly actor: string; readonly reason: string }): Promise<MoveAliasResult> {
    validateModelName(input.model);
    validateAliasName(input.alias);
    const result = await withTransaction(this.pool, async (client) => {
      const modelId = await lockModel(client, input.model);
      const current = await this.findIn(client, input.model, input.alias);
      if (current === undefined) {
        throw new RegistryError('REG_ALIAS_NOT_FOUND', `model "${input.model}" has no alias "${input.alias}"`, { field: 'alias' });
      }
      const last = (await execQuery<{ from_version: number | null }>(client, 'last-alias-event', [modelId, input.alias]))[0];
      const previous = last?.from_version ?? null;
      if (previous === null) {
        throw new RegistryError('REG_ROLLBACK_NO_PREVIOUS', `${input.model}@${input.alias} has no previous version to roll back to`, { field: 'alias' });
      }
      const target = await this.activeVersion(client, input.model, previous);
      await this.verifyFiles(input.model, target);
      const event = await this.record(client, { modelId, model: input.model, alias: input.alias, from: current.version, to: previous, kind: 'rollback', actor: input.actor, reason: input.reason, gate: null });
      return { alias: { model: input.model, alias: input.alias, version: previous, eventId: event.id, updatedAt: event.at }, moved: true, event, gate: null };
    });
    this.cache?.evict(input.model, input.alias);
    this.metrics?.moves.inc({ kind: 'rollback' });
    this.logger?.warn({ event: result.event }, `alias ${input.model}@${input.alias} rolled back to ${result.alias.version}`);
    return result;
  }

  /**
   * Long-poll: resolves when the alias's event id exceeds `afterEventId` or `timeoutMs` passes,
   * with the alias as it is then (`undefined` if it does not exist). Woken by the watcher's
   * LISTEN notifications; re-reads every `pollIntervalMs` regardless, so a lost notification
   * (pg reconnect) costs latency, never correctness.
   */
  async waitForChange(input: { readonly model: string; readonly alias: string; readonly afterEventId: number; readonly timeoutMs: number; readonly signal?: AbortSignal }): Promise<{ readonly changed: boolean; readonly alias: AliasRecord | undefined }> {
    const deadline = Date.now() + input.timeoutMs;
    const subscription = this.watcher?.subscribe(input.model, input.alias);
    this.metrics?.longPolls.inc();
    try {
      for (;;) {
        const alias = await this.find(input.model, input.alias);
        if (alias !== undefined && alias.eventId > input.afterEventId) {
          return { changed: true, alias };
        }
        const remaining = deadline - Date.now();
        if (remaining <= 0 || input.signal?.aborted === true) {
          return { changed: false, alias };
        }
        const pause = Math.min(remaining, this.pollIntervalMs);
        await (subscription === undefined ? sleep(pause) : subscription.next(pause, input.signal));
      }
    } finally {
      this.metrics?.longPolls.dec();
      subscription?.close();
    }
  }

  private async findCached(model: string, alias: string): Promise<AliasRecord | undefined> {
    return this.cache === undefined ? this.find(model, alias) : this.cache.resolve(model, alias, () => this.find(model, alias));
  }

  private async find(model: string, alias: string): Promise<AliasRecord | undefined> {
    validateModelName(model);
    validateAliasName(alias);
    return this.findIn(this.pool, model, alias);
  }

  private async findIn(db: Queryable, model: string, alias: string): Promise<AliasRecord | undefined> {
    const row = (await execQuery<AliasRow>(db, 'get-alias', [model, alias]))[0];
    return row === undefined ? undefined : toAliasRecord(row);
  }

  /** Re-hashes every file of a version; refuses (`REG_VERSION_CORRUPT`) if any is not intact. */
  private async verifyFiles(model: string, target: { readonly version: number; readonly manifest: VersionRow['manifest'] }): Promise<void> {
    const damaged: { path: string; sha256: string; problem: ArtifactCheck }[] = [];
    for (const file of target.manifest.files) {
      const problem = await this.store.check(file.sha256);
      if (problem !== 'intact') {
        damaged.push({ path: file.path, sha256: file.sha256, problem });
      }
    }
    if (damaged.length > 0) {
      this.logger?.error({ model, version: target.version, files: damaged }, 'alias move refused: the target version has damaged files');
      throw new RegistryError('REG_VERSION_CORRUPT', `${model} version ${target.version} has ${damaged.length} corrupt or missing file(s) (${damaged.map((f) => f.path).join(', ')}); an alias may not point at it`, {
        field: 'version',
        details: { version: target.version, files: damaged },
      });
    }
  }

  private async activeVersion(client: Queryable, model: string, version: number): Promise<{ version: number; manifest: VersionRow['manifest'] }> {
    const row = (await execQuery<VersionRow>(client, 'get-version', [model, version]))[0];
    if (row === undefined) {
      throw new RegistryError('REG_VERSION_NOT_FOUND', `model "${model}" has no version ${version}`, { field: 'version' });
    }
    if (row.archived_at !== null) {
      throw new RegistryError('REG_VERSION_ARCHIVED', `${model} version ${version} is archived; an alias may not point at it`, { field: 'version' });
    }
    return { version: row.version, manifest: row.manifest };
  }

  private async record(
    client: Queryable,
    move: { modelId: number; model: string; alias: string; from: number | null; to: number; kind: AliasEventKind; actor: string; reason: string; gate: GateDecision | null },
  ): Promise<AliasEvent> {
    const inserted = (await execQuery<{ id: string; at: Date }>(client, 'insert-alias-event', [
      move.modelId,
      move.alias,
      move.from,
      move.to,
      move.kind,
      move.actor,
      move.reason,
      move.gate === null ? null : JSON.stringify(move.gate),
    ]))[0];
    if (inserted === undefined) {
      throw new RegistryError('REG_INTERNAL', 'audit insert returned no row');
    }
    await execQuery(client, 'upsert-alias', [move.modelId, move.alias, move.to, inserted.id, inserted.at]);
    const eventId = Number(inserted.id);
    await execQuery(client, 'notify-alias', [this.notifyChannel, JSON.stringify({ model: move.model, alias: move.alias, version: move.to, eventId })]);
    return {
      id: eventId,
      model: move.model,
      alias: move.alias,
      fromVersion: move.from,
      toVersion: move.to,
      kind: move.kind,
      actor: move.actor,
      reason: move.reason,
      gate: move.gate === null ? null : { ...move.gate },
      at: inserted.at.toISOString(),
    };
  }
}
