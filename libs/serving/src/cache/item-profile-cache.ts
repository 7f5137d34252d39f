import type { ItemProfile } from '@metarec/schemas';

import { reasonOf, requireInt } from '../errors.js';
import type { FeatureReader } from '../features/feature-reader.js';
import { withTimeout } from '../features/feature-reader.js';
import { mergeOptions } from '../options/merge-options.js';

/** Options of {@link ItemProfileCache}. */
export interface ItemProfileCacheOptions {
  readonly reader: FeatureReader;
  /** Profiles kept in memory (LRU beyond). @defaultValue 200_000 */
  readonly maxEntries?: number;
  /** A profile is re-read after this long (item metadata changes rarely). @defaultValue 60_000 */
  readonly ttlMs?: number;
  /** A read slower than this counts as failed. @defaultValue 100 */
  readonly timeoutMs?: number;
  /** Clock, epoch ms. @defaultValue `Date.now` */
  readonly now?: () => number;
}

/** Defaults laid under {@link ItemProfileCacheOptions}. */
export const DEFAULT_ITEM_PROFILE_CACHE_OPTIONS: Required<Omit<ItemProfileCacheOptions, 'reader' | 'now'>> = { maxEntries: 200_000, ttlMs: 60_000, timeoutMs: 100 };

interface Entry {
  readonly profile: ItemProfile | null;
  readonly fetchedAtMs: number;
}

/** Profiles in request order plus why some may be stale or missing. */
export interface ItemProfilesResult {
  readonly profiles: readonly (ItemProfile | null)[];
  /** Set when the store could not be read: stale or missing profiles were used. */
  readonly degraded: string | null;
}

/**
 * Item profiles in front of the online store: one pipelined read for the ids missing or expired,
 * the rest from memory. When the store fails, expired profiles are served stale and unknown ones
 * as null (scored from the id embedding only), with the reason returned for the response/log.
 */
export class ItemProfileCache {
  private readonly entries = new Map<string, Entry>();
  private readonly o: Required<Omit<ItemProfileCacheOptions, 'reader' | 'now'>> & Pick<ItemProfileCacheOptions, 'reader'> & { now: () => number };

  /** @throws ServingError `SERVING_OPTIONS_INVALID`. */
  constructor(options: ItemProfileCacheOptions) {
    this.o = mergeOptions({ ...DEFAULT_ITEM_PROFILE_CACHE_OPTIONS, now: Date.now }, options);
    requireInt('maxEntries', this.o.maxEntries, 1);
    requireInt('ttlMs', this.o.ttlMs, 0);
    requireInt('timeoutMs', this.o.timeoutMs, 1);
  }

  /** Profiles of `itemIds` (null where unknown), reading the store only for missing/expired ids. */
  async get(itemIds: readonly string[]): Promise<ItemProfilesResult> {
    const now = this.o.now();
    const missing: string[] = [];
    for (const id of new Set(itemIds)) {
      const entry = this.entries.get(id);
      if (entry === undefined || now - entry.fetchedAtMs >= this.o.ttlMs) {
        missing.push(id);
      }
    }
    let degraded: string | null = null;
    if (missing.length > 0) {
      try {
        const fetched = await withTimeout(this.o.reader.itemProfiles(missing), this.o.timeoutMs, 'item profiles');
        missing.forEach((id, k) => this.put(id, { profile: fetched[k] ?? null, fetchedAtMs: now }));
      } catch (error) {
        degraded = `item profiles unavailable (${reasonOf(error)}): stale or missing profiles used`;
      }
    }
    return { profiles: itemIds.map((id) => this.entries.get(id)?.profile ?? null), degraded };
  }

  private put(id: string, entry: Entry): void {
    this.entries.delete(id);
    this.entries.set(id, entry);
    if (this.entries.size > this.o.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }
}
