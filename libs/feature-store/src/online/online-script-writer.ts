import type { UserProfile, ItemProfile } from '@metarec/schemas';
import type { ChainableCommander, Redis } from 'ioredis';

import { FeatureStoreError } from '../errors.js';
import { APPLY_INTERACTIONS_LUA, APPLY_INTERACTIONS_REFUSED } from './commands/apply-interactions-1.js';
import { APPLY_PROFILES_LUA } from './commands/apply-profiles-1.js';
import { foldInteractions } from './fold-interactions.js';
import type { OnlineBatch } from './online-batch.js';
import type { OnlineKeys } from './online-keys.js';

/** The store settings the write scripts take (validated by `OnlineStore`). */
export interface ScriptWriterSettings {
  readonly keyPrefix: string;
  readonly recentLimit: number;
  readonly coOccurrenceWindow: number;
  readonly popularityWindowMs: number;
  readonly popularityBucketMs: number;
  readonly maxEventsPerCall: number;
  readonly newestItemsLimit: number;
}

type ScriptCaller = (this: ChainableCommander, ...args: (string | number)[]) => ChainableCommander;
interface ScriptedPipeline extends ChainableCommander {
  metarecFsApplyInteractions: ScriptCaller;
  metarecFsApplyProfiles: ScriptCaller;
}

/** A partition refuses chunks only while a replay straddles its high-water offset: one resend settles it. */
const MAX_APPLY_ROUNDS = 3;

/**
 * The write side of `OnlineStore`: batches → chunks → one Lua call each (`commands/`), all in one
 * pipeline, and the resend of chunks a script refused.
 */
export class OnlineScriptWriter {
  constructor(
    private readonly redis: Redis,
    private readonly keys: OnlineKeys,
    private readonly options: ScriptWriterSettings,
  ) {
    // defineCommand is idempotent per name; ioredis then sends EVALSHA with an EVAL fallback.
    this.redis.defineCommand('metarecFsApplyInteractions', { numberOfKeys: 1, lua: APPLY_INTERACTIONS_LUA });
    this.redis.defineCommand('metarecFsApplyProfiles', { numberOfKeys: 1, lua: APPLY_PROFILES_LUA });
  }

  /** See `OnlineStore.apply`. @throws FeatureStoreError `FS_REDIS_FAILED`. */
  async apply(batches: readonly OnlineBatch[]): Promise<number> {
    let applied = 0;
    let pending = batches;
    for (let round = 0; pending.length > 0; round += 1) {
      if (round === MAX_APPLY_ROUNDS) {
        throw new FeatureStoreError('FS_REDIS_FAILED', `online store refused interaction chunks ${MAX_APPLY_ROUNDS} times (another writer on the partition?)`);
      }
      const outcome = await this.applyOnce(pending);
      applied += outcome.applied;
      pending = await this.afterHighWater(outcome.refused);
    }
    return applied;
  }

  /** One pipeline of script calls; returns what was applied and, per batch, the entries of its first refused chunk onwards. */
  private async applyOnce(batches: readonly OnlineBatch[]): Promise<{ applied: number; refused: OnlineBatch[] }> {
    const pipeline = this.redis.pipeline() as ScriptedPipeline;
    const calls: { batch: OnlineBatch; start: number }[] = [];
    for (const batch of batches) {
      let previous = -1n;
      for (let start = 0; start < batch.entries.length; start += this.options.maxEventsPerCall) {
        const part = batch.entries.slice(start, start + this.options.maxEventsPerCall);
        this.queue(pipeline, { ...batch, entries: part }, previous);
        previous = part[part.length - 1].offset;
        calls.push({ batch, start });
      }
    }
    if (calls.length === 0) {
      return { applied: 0, refused: [] };
    }
    let results: [Error | null, unknown][] | null;
    try {
      results = await pipeline.exec();
    } catch (error) {
      throw new FeatureStoreError('FS_REDIS_FAILED', 'online store pipeline failed', { cause: error });
    }
    let applied = 0;
    const refused = new Map<OnlineBatch, OnlineBatch>();
    (results ?? []).forEach(([error, value], k) => {
      if (error !== null) {
        throw new FeatureStoreError('FS_REDIS_FAILED', `online store script failed: ${error.message}`, { cause: error });
      }
      const { batch, start } = calls[k];
      if (Number(value) === APPLY_INTERACTIONS_REFUSED) {
        if (!refused.has(batch)) {
          refused.set(batch, { ...batch, entries: batch.entries.slice(start) } as OnlineBatch);
        }
        return;
      }
      applied += Number(value);
    });
    return { applied, refused: [...refused.values()] };
  }

  /** `batches` without the entries at or below their partition's current high-water offset. */
  private async afterHighWater(batches: readonly OnlineBatch[]): Promise<OnlineBatch[]> {
    if (batches.length === 0) {
      return [];
    }
    const fields = batches.map((b) => this.keys.highWaterField(b.kind, b.topic, b.partition));
    let hwms: (string | null)[];
    try {
      hwms = await this.redis.hmget(this.keys.highWater(), ...fields);
    } catch (error) {
      throw new FeatureStoreError('FS_REDIS_FAILED', 'online store high-water read failed', { cause: error });
    }
    return batches
      .map((batch, k) => {
        const hwm = BigInt(hwms[k] ?? '-1');
        return { ...batch, entries: batch.entries.filter((e) => e.offset > hwm) } as OnlineBatch;
      })
      .filter((batch) => batch.entries.length > 0);
  }

  private queue(pipeline: ScriptedPipeline, batch: OnlineBatch, previous: bigint): void {
    const hwm = [this.keys.highWater(), this.keys.highWaterField(batch.kind, batch.topic, batch.partition)];
    if (batch.kind === 'interactions') {
      const o = this.options;
      const entries = batch.entries as OnlineBatch<'interactions'>['entries'];
      const range = [entries[0].offset.toString(), entries[entries.length - 1].offset.toString(), previous.toString()];
      const folded = foldInteractions(entries, o);
      pipeline.metarecFsApplyInteractions(...hwm, o.keyPrefix, o.recentLimit, o.coOccurrenceWindow, o.popularityWindowMs, ...range, ...folded);
      return;
    }
    const isUser = batch.kind === 'user_profiles';
    const args: (string | number)[] = isUser
      ? [...hwm, this.keys.userProfilePrefix(), '', 0]
      : [...hwm, this.keys.itemProfilePrefix(), this.keys.newestItems(), this.options.newestItemsLimit];
    for (const { offset, record } of batch.entries) {
      const profile = record as UserProfile | ItemProfile;
      const id = 'user_id' in profile ? profile.user_id : profile.item_id;
      args.push(offset.toString(), id, profile.updated_at_ms, JSON.stringify(profile));
    }
    pipeline.metarecFsApplyProfiles(...args);
  }
}
