import { LRUCache } from 'lru-cache';

import type { AliasChangeWaiter } from './alias-watcher.js';
import type { AliasRecord } from './records.js';

/** Entries kept, least recently used dropped beyond (aliases are few; this only bounds a pathological case). */
const MAX_CACHED_ALIASES = 10_000;

/**
 * Resolved aliases in memory, trusted only while the watcher hears every move: a move evicts
 * its entry (on this replica right after commit, on the others when the NOTIFY arrives), and
 * notifications stopping or resuming empty the whole cache. A read that started before an
 * eviction (per key: generation; global: epoch) never fills the cache with what it read, since
 * that may be exactly the value the eviction was about.
 */
export class AliasCache {
  private readonly watcher: AliasChangeWaiter;
  private readonly entries = new LRUCache<string, AliasRecord>({ max: MAX_CACHED_ALIASES });
  private readonly generations = new Map<string, number>();
  private epoch = 0;

  constructor(watcher: AliasChangeWaiter) {
    this.watcher = watcher;
    watcher.onAnyChange((change) => {
      if (change === null) {
        this.entries.clear();
        this.epoch += 1;
      } else {
        this.evict(change.model, change.alias);
      }
    });
  }

  /** The cached record, or `read()`'s result (cached when still trustworthy). */
  async resolve(model: string, alias: string, read: () => Promise<AliasRecord | undefined>): Promise<AliasRecord | undefined> {
    if (!this.watcher.listening) {
      return read();
    }
    const key = `${model}\u0000${alias}`;
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      return hit;
    }
    const generation = this.generations.get(key) ?? 0;
    const epoch = this.epoch;
    const found = await read();
    if (found !== undefined && (this.generations.get(key) ?? 0) === generation && this.epoch === epoch && this.watcher.listening) {
      this.entries.set(key, found);
    }
    return found;
  }

  /** Drops one alias and invalidates reads of it in flight. */
  evict(model: string, alias: string): void {
    const key = `${model}\u0000${alias}`;
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    this.entries.delete(key);
  }
}
