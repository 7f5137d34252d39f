import { LRUCache } from 'lru-cache';

import { requireInt } from '../errors.js';

/** A value with the time it was stored. */
export interface Aged<V> {
  readonly value: V;
  readonly storedAtMs: number;
}

/**
 * Called with a value that left a {@link TtlLru}: evicted past the bound, deleted, cleared, or
 * replaced by another value under its key (storing the same value again is not a leave). It must
 * not change the map it is called from.
 */
export type OnEvict<K, V> = (value: V, key: K) => void;

/**
 * A bounded map with least-recently-used eviction and an age per entry; the one bounded map of
 * the serving caches. The LRU order and the bound are `lru-cache`'s; the age is checked here
 * against the caller's clock (`nowMs`), not lru-cache's TTL, because expired entries are kept
 * (until evicted) so a caller whose refresh failed can still serve the last good value.
 * `onEvict` sees every value that leaves, so an owner frees or invalidates what it derived from
 * the value in one place (`UserModelCache` disposes tensors, `ItemProfileCache` moves its epoch).
 */
export class TtlLru<K extends NonNullable<unknown>, V> {
  private readonly entries: LRUCache<K, Aged<V>>;

  /**
   * @param maxEntries entries kept (LRU beyond), at least 1; @param ttlMs age after which `fresh`
   * returns nothing; @param onEvict called with each value that leaves.
   * @throws ServingError `SERVING_OPTIONS_INVALID` for `maxEntries` below 1.
   */
  constructor(
    maxEntries: number,
    private readonly ttlMs: number,
    private readonly onEvict: OnEvict<K, V> | null = null,
  ) {
    requireInt('maxEntries', maxEntries, 1);
    this.entries = new LRUCache<K, Aged<V>>({
      max: maxEntries,
      // Replacements are reported by `set`, which knows whether the value changed.
      noDisposeOnSet: true,
      ...(onEvict === null ? {} : { dispose: (entry: Aged<V>, key: K) => onEvict(entry.value, key) }),
    });
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value if stored less than `ttlMs` ago (marks it recently used), else undefined. */
  fresh(key: K, nowMs: number): V | undefined {
    const entry = this.entries.peek(key);
    if (entry === undefined || nowMs - entry.storedAtMs >= this.ttlMs) {
      return undefined;
    }
    this.entries.get(key);
    return entry.value;
  }

  /** The value whatever its age (the last good copy), or undefined. Leaves the LRU order alone. */
  stale(key: K): V | undefined {
    return this.entries.peek(key)?.value;
  }

  /** The value with the time it was stored, whatever its age, or undefined. Leaves the LRU order alone. */
  aged(key: K): Aged<V> | undefined {
    return this.entries.peek(key);
  }

  /** Stores `value` as the most recently used, evicting the least recently used beyond the bound. */
  set(key: K, value: V, nowMs: number): void {
    const previous = this.entries.peek(key);
    this.entries.set(key, { value, storedAtMs: nowMs });
    if (previous !== undefined && previous.value !== value) {
      this.onEvict?.(previous.value, key);
    }
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  /** Deletes every entry `keep` refuses. */
  retain(keep: (value: V, key: K) => boolean): void {
    // Least recently used first; collected before deleting so the walk sees a fixed list.
    for (const key of [...this.entries.rkeys()]) {
      const entry = this.entries.peek(key);
      if (entry !== undefined && !keep(entry.value, key)) {
        this.delete(key);
      }
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
