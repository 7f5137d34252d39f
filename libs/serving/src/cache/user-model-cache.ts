import type { AdaptedUser } from '@metarec/meta-learning';

import { requireInt } from '../errors.js';
import { ScoreMemo } from '../recommend/score-memo.js';
import { TtlLru } from './ttl-lru.js';

/** Options of {@link UserModelCache}. */
export interface UserModelCacheOptions {
  /** Adapted users kept (LRU beyond). MeLU adapts ~21 k floats per user: 10 000 users ≈ 850 MB of float32 would be too many; 2 000 ≈ 170 MB. @defaultValue 2_000 */
  readonly maxEntries?: number;
  /** An entry older than this is adapted again (bounds staleness when an event missed the invalidation). @defaultValue 300_000 (5 min) */
  readonly ttlMs?: number;
  /**
   * Longest candidate list whose scores are memoised per cached user (see `ScoreMemo`: the last
   * request's candidates and scores, ~6 KB per user at 500): a repeat request rescores only
   * candidates it has not scored yet. 0 turns the memo off (every cached request rescores all
   * candidates). @defaultValue 2_000
   */
  readonly scoreMemoEntries?: number;
  /** Clock, epoch ms. @defaultValue `Date.now` */
  readonly now?: () => number;
}

/** Defaults laid under {@link UserModelCacheOptions}. */
export const DEFAULT_USER_MODEL_CACHE_OPTIONS: Required<Omit<UserModelCacheOptions, 'now'>> = { maxEntries: 2_000, ttlMs: 300_000, scoreMemoEntries: 2_000 };

interface Entry {
  readonly modelVersion: number;
  /** Fingerprint of the support rows it was adapted on: new interactions change it. */
  readonly stateKey: string;
  readonly user: AdaptedUser;
  /** Scores this user model gave; null when memoising is off. */
  readonly memo: ScoreMemo | null;
}

/**
 * Per-user adapted parameters, valid for one model version and one state of the user's
 * interactions, with a TTL and an LRU bound (a `TtlLru`). Every entry that leaves the cache
 * (evicted, expired, invalidated, replaced, purged) is disposed by its eviction hook, so device
 * memory stays flat.
 * Callers use an entry synchronously right after `get` (no await in between), so an entry is
 * never disposed while scoring with it.
 */
export class UserModelCache {
  private readonly entries: TtlLru<string, Entry>;
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly scoreMemoEntries: number;
  private readonly now: () => number;

  /** @throws ServingError `SERVING_OPTIONS_INVALID`. */
  constructor(options: UserModelCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? DEFAULT_USER_MODEL_CACHE_OPTIONS.maxEntries;
    this.ttlMs = options.ttlMs ?? DEFAULT_USER_MODEL_CACHE_OPTIONS.ttlMs;
    this.scoreMemoEntries = options.scoreMemoEntries ?? DEFAULT_USER_MODEL_CACHE_OPTIONS.scoreMemoEntries;
    this.now = options.now ?? Date.now;
    requireInt('maxEntries', this.maxEntries, 1);
    requireInt('ttlMs', this.ttlMs, 1);
    requireInt('scoreMemoEntries', this.scoreMemoEntries, 0);
    this.entries = new TtlLru(this.maxEntries, this.ttlMs, (entry) => entry.user.dispose());
  }

  get size(): number {
    return this.entries.size;
  }

  /** Most adapted users kept (`maxEntries`). */
  get capacity(): number {
    return this.maxEntries;
  }

  /** The adapted user if cached for this model version and interaction state and not expired. */
  get(userId: string, modelVersion: number, stateKey: string): AdaptedUser | null {
    const entry = this.entries.fresh(userId, this.now());
    if (entry === undefined || entry.modelVersion !== modelVersion || entry.stateKey !== stateKey) {
      // Expired or stale: freed now rather than when the bound reaches it.
      this.entries.delete(userId);
      return null;
    }
    return entry.user;
  }

  /**
   * The user's entry for this model version whatever the interaction state, if not expired: what
   * to serve when the store cannot say whether the ratings changed.
   */
  peek(userId: string, modelVersion: number): AdaptedUser | null {
    const aged = this.entries.aged(userId);
    return aged !== undefined && aged.value.modelVersion === modelVersion && this.now() - aged.storedAtMs < this.ttlMs ? aged.value.user : null;
  }

  /**
   * The score memo of the user's entry (valid for whatever `get`/`peek` just returned), or null
   * when there is no entry or memoising is off.
   */
  memo(userId: string): ScoreMemo | null {
    return this.entries.stale(userId)?.memo ?? null;
  }

  /**
   * Stores `user` (the cache owns it from now on; an entry it replaces is disposed), evicting the
   * least recently used beyond the bound. Returns the new entry's (empty) score memo, or null when
   * memoising is off.
   */
  set(userId: string, modelVersion: number, stateKey: string, user: AdaptedUser): ScoreMemo | null {
    const memo = this.scoreMemoEntries > 0 ? new ScoreMemo(this.scoreMemoEntries) : null;
    this.entries.set(userId, { modelVersion, stateKey, user, memo }, this.now());
    return memo;
  }

  /** Drops a user's entry (new feedback arrived). */
  invalidate(userId: string): void {
    this.entries.delete(userId);
  }

  /** Drops every entry not adapted from `modelVersion` (after a swap). */
  retainVersion(modelVersion: number): void {
    this.entries.retain((entry) => entry.modelVersion === modelVersion);
  }

  /** Disposes everything. */
  clear(): void {
    this.entries.clear();
  }
}
