import type { RecordKind } from '../offline/record-kinds.js';

/**
 * Every Redis key of the online store, built in one place (nobody else builds them). Ids are
 * used verbatim: the schemas lib bounds their length and characters.
 */
export class OnlineKeys {
  constructor(readonly prefix: string) {}

  /** Hash: `<kind>|<topic>|<partition>` → highest offset applied. */
  highWater(): string {
    return `${this.prefix}hwm`;
  }

  highWaterField(kind: RecordKind, topic: string, partition: number): string {
    return `${kind}|${topic}|${partition}`;
  }

  /**
   * List of a user's latest interactions (event JSON), newest first by arrival. A list, not the
   * zset by event time it once was (`recent:<user>`): LPUSH+LTRIM of a user's events costs Redis
   * a fraction of ZADD into a skiplist of ~250-byte members (see apps/ingest README, Performance).
   */
  recentEvents(userId: string): string {
    return `${this.prefix}recent-events:${userId}`;
  }

  /**
   * The user whose request-time context ({@link recentEvents} or {@link userProfile}) `key`
   * holds; null for any other key (how a Redis invalidation message is mapped back to a user).
   */
  userOfContextKey(key: string): string | null {
    const recent = `${this.prefix}recent-events:`;
    if (key.startsWith(recent)) {
      return key.slice(recent.length);
    }
    const profile = this.userProfilePrefix();
    return key.startsWith(profile) ? key.slice(profile.length) : null;
  }

  /** Hash of a user's profile. */
  userProfilePrefix(): string {
    return `${this.prefix}user:`;
  }

  userProfile(userId: string): string {
    return `${this.userProfilePrefix()}${userId}`;
  }

  /** Hash of an item's profile. */
  itemProfilePrefix(): string {
    return `${this.prefix}item:`;
  }

  itemProfile(itemId: string): string {
    return `${this.itemProfilePrefix()}${itemId}`;
  }

  /** Zset item id → `updated_at_ms` of its first profile seen; capped, oldest trimmed. */
  newestItems(): string {
    return `${this.prefix}newest-items`;
  }

  /** Zset item → times it followed or preceded `itemId` in a user's recent window. */
  coOccurrence(itemId: string): string {
    return `${this.prefix}co:${itemId}`;
  }

  /** Zset being built by the co-occurrence rebuild, renamed to {@link coOccurrence} when complete. */
  coOccurrenceBuilding(itemId: string): string {
    return `${this.prefix}co-build:${itemId}`;
  }

  /** Zset item → interactions within the bucket starting at `bucketStartMs`. */
  popularity(bucketStartMs: number): string {
    return `${this.prefix}pop:${bucketStartMs}`;
  }
}
