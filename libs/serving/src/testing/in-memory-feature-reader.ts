import type { Interaction, ItemProfile, UserProfile } from '@metarec/schemas';

import type { FeatureReader, ItemCount } from '../features/feature-reader.js';

/** Options of {@link InMemoryFeatureReader}. */
export interface InMemoryFeatureReaderOptions {
  readonly users?: readonly UserProfile[];
  readonly items?: readonly ItemProfile[];
  readonly interactions?: readonly Interaction[];
  /** A new event pairs with this many of the user's previous distinct items. @defaultValue 5 */
  readonly coOccurrenceWindow?: number;
}

/**
 * A `FeatureReader` over arrays, with the online store's semantics (newest first, popularity
 * and co-occurrence counts) and a switch that makes every read fail like a Redis outage.
 */
export class InMemoryFeatureReader implements FeatureReader {
  /** When set, every read rejects with this error. */
  failWith: Error | null = null;
  /** Reads served (any method). */
  reads = 0;
  private readonly users = new Map<string, UserProfile>();
  private readonly items = new Map<string, ItemProfile>();
  private readonly firstSeen = new Map<string, number>();
  private readonly recent = new Map<string, Interaction[]>();
  private readonly popularity = new Map<string, number>();
  private readonly pairs = new Map<string, Map<string, number>>();
  private readonly window: number;

  constructor(options: InMemoryFeatureReaderOptions = {}) {
    this.window = options.coOccurrenceWindow ?? 5;
    options.users?.forEach((u) => this.users.set(u.user_id, u));
    options.items?.forEach((i) => this.addItem(i));
    [...(options.interactions ?? [])].sort((a, b) => a.timestamp_ms - b.timestamp_ms).forEach((e) => this.add(e));
  }

  /** Applies one event as ingest would. */
  add(event: Interaction): void {
    const list = this.recent.get(event.user_id) ?? [];
    const previous = [...new Set(list.map((e) => e.item_id))].slice(0, this.window);
    for (const other of previous) {
      if (other !== event.item_id) {
        this.bump(event.item_id, other);
        this.bump(other, event.item_id);
      }
    }
    list.unshift(event);
    this.recent.set(event.user_id, list);
    this.popularity.set(event.item_id, (this.popularity.get(event.item_id) ?? 0) + 1);
  }

  async userContext(userId: string, limit = 100): Promise<{ recent: Interaction[]; profile: UserProfile | null }> {
    this.check();
    return { recent: (this.recent.get(userId) ?? []).slice(0, limit), profile: this.users.get(userId) ?? null };
  }

  async itemProfiles(itemIds: readonly string[]): Promise<(ItemProfile | null)[]> {
    this.check();
    return itemIds.map((id) => this.items.get(id) ?? null);
  }

  async topPopular(k: number): Promise<ItemCount[]> {
    this.check();
    return sorted(this.popularity).slice(0, k);
  }

  /** Items by the `updated_at_ms` of their first profile seen (as the store lists them), newest first, ties by higher id. */
  async newestItems(limit: number): Promise<string[]> {
    this.check();
    return [...this.firstSeen]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1))
      .slice(0, limit)
      .map(([itemId]) => itemId);
  }

  /** Adds or replaces an item profile as ingest would (a newly published item joins the newest list; an update does not). */
  addItem(profile: ItemProfile): void {
    this.items.set(profile.item_id, profile);
    if (!this.firstSeen.has(profile.item_id)) {
      this.firstSeen.set(profile.item_id, profile.updated_at_ms);
    }
  }

  async coOccurring(itemId: string, k: number): Promise<ItemCount[]> {
    this.check();
    return sorted(this.pairs.get(itemId) ?? new Map()).slice(0, k);
  }

  private bump(a: string, b: string): void {
    const counts = this.pairs.get(a) ?? new Map<string, number>();
    counts.set(b, (counts.get(b) ?? 0) + 1);
    this.pairs.set(a, counts);
  }

  private check(): void {
    this.reads += 1;
    if (this.failWith !== null) {
      throw this.failWith;
    }
  }
}

function sorted(counts: ReadonlyMap<string, number>): ItemCount[] {
  return [...counts].map(([itemId, score]) => ({ itemId, score })).sort((a, b) => b.score - a.score || (a.itemId < b.itemId ? -1 : 1));
}
