import { LRUCache } from 'lru-cache';

/** A small LRU (`lru-cache`) of promises: concurrent jobs of one step share one load. */
export class PromiseCache<T> {
  private readonly entries: LRUCache<string, Promise<T>>;

  /** @param size loads kept (least recently used dropped beyond), at least 1. */
  constructor(size: number) {
    this.entries = new LRUCache({ max: size });
  }

  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      return hit;
    }
    const loading = load();
    this.entries.set(key, loading);
    // A failed load must not be served from the cache on the retry (unless a newer load replaced it).
    loading.catch(() => {
      if (this.entries.peek(key) === loading) {
        this.entries.delete(key);
      }
    });
    return loading;
  }
}
