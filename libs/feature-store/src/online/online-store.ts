import {
  validateInteraction,
  validateItemProfile,
  validateUserProfile,
  type Interaction,
  type ItemProfile,
  type UserProfile,
} from '@metarec/schemas';
import type { ChainableCommander, Redis } from 'ioredis';

import { FeatureStoreError, invalidOption, requireInt } from '../errors.js';
import { mergeOptions } from '@metarec/runtime';
import type { RecordKind } from '../offline/record-kinds.js';
import type { OnlineBatch } from './online-batch.js';
import { OnlineKeys } from './online-keys.js';
import { OnlineScriptWriter } from './online-script-writer.js';

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
  private readonly writer: OnlineScriptWriter;

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
    this.writer = new OnlineScriptWriter(this.redis, this.keys, merged);
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
  apply(batches: readonly OnlineBatch[]): Promise<number> {
    return this.writer.apply(batches);
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
