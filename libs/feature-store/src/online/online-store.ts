import {
  validateInteraction,
  validateItemProfile,
  validateUserProfile,
  type Interaction,
  type ItemProfile,
  type UserProfile,
} from '@metarec/schemas';
import type { ChainableCommander, Redis } from 'ioredis';

import { FeatureStoreError, invalidOption } from '../errors.js';
import { mergeOptions } from '../merge-options.js';
import type { RecordKind, RecordOfKind } from '../offline/record-kinds.js';
import { APPLY_INTERACTIONS_LUA, APPLY_INTERACTIONS_REFUSED } from './commands/apply-interactions-1.js';
import { APPLY_PROFILES_LUA } from './commands/apply-profiles-1.js';
import { foldInteractions } from './fold-interactions.js';
import { OnlineKeys } from './online-keys.js';

/** Options of {@link OnlineStore}. Times in ms. */
export interface OnlineStoreOptions {
  /** The Redis client; created and closed by the app (the store never quits it). */
  readonly redis: Redis;
  /** Prefix of every key. @defaultValue `'metarec:fs:'` */
  readonly keyPrefix?: string;
  /** Latest interactions kept per user for request-time adaptation (N). @defaultValue `100` */
  readonly recentLimit?: number;
  /**
   * Per-event co-occurrence: a new interaction pairs with this many of the user's latest distinct
   * items. Each new interaction then increments one sorted set per earlier item in the window
   * (~4.5 ZINCRBY per event, which are hardly ever repeated within a batch), the bulk of the
   * online write cost (ingest throughput 10k vs 36k events/s, see tools/bench). 0 (the default)
   * leaves co-occurrence to the periodic `rebuildCoOccurrence` job over the offline store.
   * @defaultValue `0`
   */
  readonly coOccurrenceWindow?: number;
  /** Popularity counts events of this trailing window. @defaultValue `86_400_000` (1 day) */
  readonly popularityWindowMs?: number;
  /** Popularity counters are kept per bucket of this length; must divide the window. @defaultValue `3_600_000` (1 h) */
  readonly popularityBucketMs?: number;
  /** Events per script call; bounds how long one call holds Redis. @defaultValue `500` */
  readonly maxEventsPerCall?: number;
  /**
   * Size of the newest-items list ({@link OnlineStore.newestItems}): items by the time their
   * first profile was seen, the oldest trimmed beyond this many. Candidate generation reads a
   * few dozen; 1,000 leaves room for filtering at ~50 KB of Redis memory.
   * @defaultValue `1000`
   */
  readonly newestItemsLimit?: number;
}

/** Defaults laid under {@link OnlineStoreOptions}. */
export const DEFAULT_ONLINE_STORE_OPTIONS = {
  keyPrefix: 'metarec:fs:',
  recentLimit: 100,
  coOccurrenceWindow: 0,
  popularityWindowMs: 86_400_000,
  popularityBucketMs: 3_600_000,
  maxEventsPerCall: 500,
  newestItemsLimit: 1000,
} as const;

/** Records of one kind read from one topic-partition, in offset order. */
export interface OnlineBatch<K extends RecordKind = RecordKind> {
  readonly kind: K;
  readonly topic: string;
  readonly partition: number;
  readonly entries: readonly OnlineEntry<K>[];
}

/** A record, the offset it was read at, and optionally the JSON text it was validated from. */
export interface OnlineEntry<K extends RecordKind = RecordKind> {
  readonly offset: bigint;
  readonly record: RecordOfKind[K];
  /**
   * The JSON text that validated into `record` (the Kafka payload), stored as is instead of
   * re-serialising the record (interactions only; saves ~0.8 µs per event). Omit it unless it
   * holds exactly the record's fields (unknown fields rejected, not stripped) and is small.
   */
  readonly json?: string;
}

/** A scored item id (popularity count, co-occurrence count). */
export interface ScoredItem {
  readonly itemId: string;
  readonly score: number;
}

/** What serving needs of a user at request time. */
export interface UserContext {
  /** Newest first, at most `recentLimit`. */
  readonly recent: readonly Interaction[];
  readonly profile: UserProfile | null;
}

type ScriptCaller = (this: ChainableCommander, ...args: (string | number)[]) => ChainableCommander;
interface ScriptedPipeline extends ChainableCommander {
  metarecFsApplyInteractions: ScriptCaller;
  metarecFsApplyProfiles: ScriptCaller;
}

function requireInt(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw invalidOption(name, `must be an integer >= ${min}, got ${value}`);
  }
}

/** A partition refuses chunks only while a replay straddles its high-water offset: one resend settles it. */
const MAX_APPLY_ROUNDS = 3;

/**
 * The online feature store in Redis: per user the latest N interactions and the profile, item
 * profiles, item popularity over a trailing window, and item-to-item co-occurrence counts.
 *
 * Writes go through one Lua script per topic-partition chunk, all chunks of a call in one
 * pipeline. Each script skips offsets at or below the partition's high-water offset, so
 * replaying records (after a crash, or when a partition moves to another instance) leaves the
 * state exactly as one clean pass would.
 */
export class OnlineStore {
  private readonly redis: Redis;
  private readonly keys: OnlineKeys;
  private readonly options: Required<Omit<OnlineStoreOptions, 'redis'>>;

  /** @throws FeatureStoreError `FS_OPTIONS_INVALID` before any I/O. */
  constructor(options: OnlineStoreOptions) {
    const merged = mergeOptions(DEFAULT_ONLINE_STORE_OPTIONS, options);
    requireInt('recentLimit', merged.recentLimit, 1);
    requireInt('coOccurrenceWindow', merged.coOccurrenceWindow, 0);
    requireInt('popularityBucketMs', merged.popularityBucketMs, 1);
    requireInt('popularityWindowMs', merged.popularityWindowMs, merged.popularityBucketMs);
    requireInt('maxEventsPerCall', merged.maxEventsPerCall, 1);
    requireInt('newestItemsLimit', merged.newestItemsLimit, 1);
    if (merged.popularityWindowMs % merged.popularityBucketMs !== 0) {
      throw invalidOption('popularityBucketMs', 'must divide popularityWindowMs');
    }
    this.redis = merged.redis;
    this.keys = new OnlineKeys(merged.keyPrefix);
    this.options = merged;
    // defineCommand is idempotent per name; ioredis then sends EVALSHA with an EVAL fallback.
    this.redis.defineCommand('metarecFsApplyInteractions', { numberOfKeys: 1, lua: APPLY_INTERACTIONS_LUA });
    this.redis.defineCommand('metarecFsApplyProfiles', { numberOfKeys: 1, lua: APPLY_PROFILES_LUA });
  }

  /**
   * Applies batches (any kinds and partitions) in one pipeline; resolves with the number of
   * records applied (replayed ones are not counted). A chunk of interactions that straddles a
   * partition's high-water offset (a replay resuming mid-chunk) is refused by its script and
   * resent, with the chunks after it, filtered to the offsets above it (one more round trip,
   * only after a crash or a rebalance).
   * @throws FeatureStoreError `FS_REDIS_FAILED` when any script failed (the others still ran; a
   * retry is safe because every script is idempotent).
   */
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
    const hwms = await this.run(() => this.redis.hmget(this.keys.highWater(), ...fields));
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

  /** A user's latest interactions (newest first, at most `limit`) and profile, in one round trip. */
  async userContext(userId: string, limit: number = this.options.recentLimit): Promise<UserContext> {
    const results = await this.exec(
      this.redis.pipeline().lrange(this.keys.recentEvents(userId), 0, limit - 1).hget(this.keys.userProfile(userId), 'json'),
    );
    const members = results[0] as string[];
    const profile = results[1] as string | null;
    return {
      recent: members.map((member) => this.decode(member, (v) => validateInteraction(v, LENIENT))),
      profile: profile === null ? null : this.decode(profile, (v) => validateUserProfile(v, LENIENT)),
    };
  }

  /** Profiles of `itemIds` in one round trip, `null` where unknown (same order as the ids). */
  async itemProfiles(itemIds: readonly string[]): Promise<(ItemProfile | null)[]> {
    if (itemIds.length === 0) {
      return [];
    }
    const pipeline = this.redis.pipeline();
    for (const id of itemIds) {
      pipeline.hget(this.keys.itemProfile(id), 'json');
    }
    const results = (await this.exec(pipeline)) as (string | null)[];
    return results.map((json) => (json === null ? null : this.decode(json, (v) => validateItemProfile(v, LENIENT))));
  }

  /**
   * Ids of the `limit` items whose first profile arrived last, newest first (at most
   * `newestItemsLimit`). "First seen" is the `updated_at_ms` of the first profile version
   * ingested, not `release_year`: a film from 1999 added to the catalogue today is new to this
   * platform's users and has no interactions yet, which is what candidate generation must make
   * up for; a year is also too coarse to order by and may be null. Ties: higher id first.
   * @throws FeatureStoreError `FS_REDIS_FAILED`, `FS_OPTIONS_INVALID` when `limit` is not a positive integer.
   */
  async newestItems(limit: number): Promise<string[]> {
    requireInt('limit', limit, 1);
    return this.run(() => this.redis.zrevrange(this.keys.newestItems(), 0, limit - 1));
  }

  /** The `k` items with the most interactions over the trailing window ending at `nowMs`. */
  async topPopular(k: number, nowMs: number = Date.now()): Promise<ScoredItem[]> {
    const { popularityBucketMs: bucketMs, popularityWindowMs: windowMs } = this.options;
    const newest = nowMs - (nowMs % bucketMs);
    const keys: string[] = [];
    for (let start = newest; start > nowMs - windowMs; start -= bucketMs) {
      keys.push(this.keys.popularity(start));
    }
    const flat = await this.run(() => this.redis.zunion(keys.length, ...keys, 'WITHSCORES'));
    return topOf(flat, k);
  }

  /**
   * The `k` items users most often interacted with after `itemId`, within their latest
   * `coOccurrenceWindow` distinct items (directed counts: "after X, users went to Y").
   */
  async coOccurring(itemId: string, k: number): Promise<ScoredItem[]> {
    const flat = await this.run(() => this.redis.zrevrange(this.keys.coOccurrence(itemId), 0, k - 1, 'WITHSCORES'));
    return pairs(flat);
  }

  /** Highest offset applied per topic-partition of `kind` (what a replay will skip up to). */
  async highWaterOffsets(kind: RecordKind): Promise<Map<string, bigint>> {
    const all = await this.run(() => this.redis.hgetall(this.keys.highWater()));
    const out = new Map<string, bigint>();
    for (const [field, value] of Object.entries(all)) {
      const [fieldKind, ...rest] = field.split('|');
      if (fieldKind === kind) {
        out.set(rest.join('|'), BigInt(value));
      }
    }
    return out;
  }

  private decode<T>(json: string, check: (value: unknown) => { ok: true; record: T } | { ok: false; error: Error }): T {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new FeatureStoreError('FS_READ_FAILED', 'online store holds a value that is not JSON', { cause: error });
    }
    const result = check(value);
    if (!result.ok) {
      throw new FeatureStoreError('FS_READ_FAILED', `online store holds an invalid record: ${result.error.message}`, { cause: result.error });
    }
    return result.record;
  }

  private async exec(pipeline: ChainableCommander): Promise<unknown[]> {
    const results = await this.run(() => pipeline.exec());
    return (results ?? []).map(([error, value]) => {
      if (error !== null) {
        throw new FeatureStoreError('FS_REDIS_FAILED', `online store read failed: ${error.message}`, { cause: error });
      }
      return value;
    });
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new FeatureStoreError('FS_REDIS_FAILED', 'online store command failed', { cause: error });
    }
  }
}

/** Stored records were validated on write; on read only their shape is checked (old events must not fail the clock check). */
const LENIENT = { minTimestampMs: 0, maxFutureSkewMs: Number.MAX_SAFE_INTEGER / 2, unknownFields: 'strip' } as const;

function pairs(flat: readonly string[]): ScoredItem[] {
  const out: ScoredItem[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    out.push({ itemId: flat[i], score: Number(flat[i + 1]) });
  }
  return out;
}

function topOf(flat: readonly string[], k: number): ScoredItem[] {
  return pairs(flat)
    .sort((a, b) => b.score - a.score || (a.itemId < b.itemId ? -1 : 1))
    .slice(0, k);
}
