import type { ItemProfile } from '@metarec/schemas';

import { reasonOf, requireInt } from '../errors.js';
import type { FeatureReader } from '../features/feature-reader.js';
import { withTimeout } from '../features/feature-reader.js';
import { mergeOptions } from '@metarec/runtime';
import { TtlLru } from './ttl-lru.js';

/** Options of {@link ItemProfileCache}. */
export interface ItemProfileCacheOptions {
  readonly reader: FeatureReader;
  /** Profiles kept in memory (LRU beyond). @defaultValue 200_000 */
  readonly maxEntries?: number;
  /**
   * A profile older than this is re-read in the background while the request uses the cached one
   * (item metadata changes rarely; a request never waits for a refresh). @defaultValue 60_000
   */
  readonly ttlMs?: number;
  /** A read slower than this counts as failed. @defaultValue 100 */
  readonly timeoutMs?: number;
  /** Clock, epoch ms. @defaultValue `Date.now` */
  readonly now?: () => number;
}

/** Defaults laid under {@link ItemProfileCacheOptions}. */
export const DEFAULT_ITEM_PROFILE_CACHE_OPTIONS: Required<Omit<ItemProfileCacheOptions, 'reader' | 'now'>> = { maxEntries: 200_000, ttlMs: 60_000, timeoutMs: 100 };

/** Profiles in request order plus why some may be stale or missing. */
export interface ItemProfilesResult {
  readonly profiles: readonly (ItemProfile | null)[];
  /** Set when the store could not be read: stale or missing profiles were used. */
  readonly degraded: string | null;
}

/**
 * The item catalog held in process in front of the online store. Ids never seen are read in one
 * pipelined call the request waits for; expired ones are served as they are and re-read in the
 * background (one refresh in flight), so a warm request reads nothing from Redis. Held in a
 * `TtlLru` in the order profiles were fetched (reads leave it alone: the oldest fetched is
 * evicted). `epoch` changes whenever a held profile changes or leaves (its eviction hook: a
 * refresh found new content, an eviction), so
 * anything derived from profiles (encoded rows, memoised scores) knows when it went stale. When
 * the store fails, unknown profiles are null (scored from the id embedding only) and the reason
 * is returned for the response/log.
 */
export class ItemProfileCache {
  private readonly entries: TtlLru<string, ItemProfile | null>;
  private readonly o: Required<Omit<ItemProfileCacheOptions, 'reader' | 'now'>> & Pick<ItemProfileCacheOptions, 'reader'> & { now: () => number };
  private contentEpoch = 0;
  /** Unknown ids were answered with null while the store failed: their first real read is a change. */
  private servedMissing = false;
  private refreshing: Promise<void> | null = null;
  private lastRefreshError: unknown = undefined;

  /** @throws ServingError `SERVING_OPTIONS_INVALID`. */
  constructor(options: ItemProfileCacheOptions) {
    this.o = mergeOptions({ ...DEFAULT_ITEM_PROFILE_CACHE_OPTIONS, now: Date.now }, options);
    requireInt('maxEntries', this.o.maxEntries, 1);
    requireInt('ttlMs', this.o.ttlMs, 0);
    requireInt('timeoutMs', this.o.timeoutMs, 1);
    // A profile that left (evicted, or replaced by another version) may be what something was derived from.
    this.entries = new TtlLru(this.o.maxEntries, this.o.ttlMs, () => (this.contentEpoch += 1));
  }

  /** Changes whenever a held profile changed or was evicted (never when one is merely re-read unchanged or first read). */
  get epoch(): number {
    return this.contentEpoch;
  }

  /** Profiles held. */
  get size(): number {
    return this.entries.size;
  }

  /** Profiles of `itemIds` (null where unknown): only ids never seen are read before answering. */
  async get(itemIds: readonly string[]): Promise<ItemProfilesResult> {
    const now = this.o.now();
    const missing: string[] = [];
    const expired: string[] = [];
    for (const id of itemIds) {
      const entry = this.entries.aged(id);
      if (entry === undefined) {
        missing.push(id);
      } else if (now - entry.storedAtMs >= this.o.ttlMs) {
        expired.push(id);
      }
    }
    if (expired.length > 0) {
      this.refreshInBackground(expired);
    }
    let degraded: string | null = null;
    if (missing.length > 0) {
      const unique = [...new Set(missing)];
      try {
        const fetched = await withTimeout(this.o.reader.itemProfiles(unique), this.o.timeoutMs, 'item profiles');
        const at = this.o.now();
        unique.forEach((id, k) => this.put(id, fetched[k] ?? null, at));
        if (this.servedMissing) {
          // Scores derived from the nulls served during the outage must not outlive it.
          this.servedMissing = false;
          this.contentEpoch += 1;
        }
      } catch (error) {
        this.servedMissing = true;
        degraded = `item profiles unavailable (${reasonOf(error)}): missing profiles scored from the id embedding`;
      }
    }
    const profiles = new Array<ItemProfile | null>(itemIds.length);
    for (let i = 0; i < itemIds.length; i++) {
      profiles[i] = this.entries.stale(itemIds[i]) ?? null;
    }
    return { profiles, degraded };
  }

  /** Resolves once no background refresh is in flight (tests, shutdown). */
  async settled(): Promise<void> {
    await this.refreshing;
  }

  /** The last background refresh failure, if the latest one failed (for logs and tests). */
  get refreshError(): unknown {
    return this.lastRefreshError;
  }

  private refreshInBackground(ids: readonly string[]): void {
    if (this.refreshing !== null) {
      return;
    }
    const unique = [...new Set(ids)];
    this.refreshing = withTimeout(this.o.reader.itemProfiles(unique), this.o.timeoutMs, 'item profile refresh')
      .then(
        (fetched) => {
          const at = this.o.now();
          unique.forEach((id, k) => this.put(id, fetched[k] ?? null, at));
          this.lastRefreshError = undefined;
        },
        (error: unknown) => {
          // Expired profiles keep serving; the next request past the TTL tries again.
          this.lastRefreshError = error;
        },
      )
      .finally(() => {
        this.refreshing = null;
      });
  }

  private put(id: string, profile: ItemProfile | null, fetchedAtMs: number): void {
    const previous = this.entries.aged(id);
    // Same version: keep the object (not a change for the eviction hook), so whatever was derived from it stays valid.
    const kept = previous !== undefined && sameVersion(previous.value, profile) ? previous.value : profile;
    this.entries.set(id, kept, fetchedAtMs);
  }
}

/** A profile changes only with its `updated_at_ms` (the store keeps the latest by it). */
function sameVersion(a: ItemProfile | null, b: ItemProfile | null): boolean {
  return a === null || b === null ? a === b : a.updated_at_ms === b.updated_at_ms;
}
