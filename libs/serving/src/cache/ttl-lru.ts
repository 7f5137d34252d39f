/** A value with the time it was stored. */
export interface Aged<V> {
  readonly value: V;
  readonly storedAtMs: number;
}

/**
 * A bounded map with least-recently-used eviction and an age per entry. Expired entries are kept
 * (until evicted) so a caller whose refresh failed can still serve the last good value.
 */
export class TtlLru<K, V> {
  private readonly entries = new Map<K, Aged<V>>();

  /** @param maxEntries entries kept (LRU beyond); @param ttlMs age after which `fresh` returns nothing. */
  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
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

  /** The value whatever its age (the last good copy), or undefined. */
  stale(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  set(key: K, value: V, nowMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, storedAtMs: nowMs });
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as K);
    }
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
