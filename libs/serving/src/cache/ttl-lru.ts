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
 * the serving caches. Expired entries are kept (until evicted) so a caller whose refresh failed
 * can still serve the last good value. `onEvict` sees every value that leaves, so an owner frees
 * or invalidates what it derived from the value in one place (`UserModelCache` disposes tensors,
 * `ItemProfileCache` moves its epoch).
 */
export class TtlLru<K, V> {
  private readonly entries = new Map<K, Aged<V>>();

  /**
   * @param maxEntries entries kept (LRU beyond); @param ttlMs age after which `fresh` returns
   * nothing; @param onEvict called with each value that leaves.
   */
  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly onEvict: OnEvict<K, V> | null = null,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value if stored less than `ttlMs` ago (marks it recently used), else undefined. */
  fresh(key: K, nowMs: number): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || nowMs - entry.storedAtMs >= this.ttlMs) {
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** The value whatever its age (the last good copy), or undefined. Leaves the LRU order alone. */
  stale(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** The value with the time it was stored, whatever its age, or undefined. Leaves the LRU order alone. */
  aged(key: K): Aged<V> | undefined {
    return this.entries.get(key);
  }

  /** Stores `value` as the most recently used, evicting the least recently used beyond the bound. */
  set(key: K, value: V, nowMs: number): void {
    const previous = this.entries.get(key);
    this.entries.delete(key);
    this.entries.set(key, { value, storedAtMs: nowMs });
    if (previous !== undefined && previous.value !== value) {
      this.onEvict?.(previous.value, key);
    }
    while (this.entries.size > this.maxEntries) {
      this.delete(this.entries.keys().next().value as K);
    }
  }

  delete(key: K): void {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      this.entries.delete(key);
      this.onEvict?.(entry.value, key);
    }
  }

  /** Deletes every entry `keep` refuses. */
  retain(keep: (value: V, key: K) => boolean): void {
    for (const [key, entry] of [...this.entries]) {
      if (!keep(entry.value, key)) {
        this.delete(key);
      }
    }
  }

  clear(): void {
    const left = this.onEvict === null ? [] : [...this.entries];
    this.entries.clear();
    for (const [key, entry] of left) {
      this.onEvict?.(entry.value, key);
    }
  }
}
