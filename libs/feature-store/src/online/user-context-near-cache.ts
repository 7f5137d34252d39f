import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

import { invalidOption, requireInt } from '../errors.js';
import { OnlineKeys } from './online-keys.js';
import { DEFAULT_ONLINE_STORE_OPTIONS, OnlineStore, type OnlineStoreOptions, type UserContext } from './online-store.js';

/** The Pub/Sub channel Redis sends key invalidations to in the two-connection (REDIRECT) mode. */
export const INVALIDATION_CHANNEL = '__redis__:invalidate';

/** Options of {@link UserContextNearCache}. */
export interface UserContextNearCacheOptions {
  /**
   * The online store to read through. Its `redis` connection must be this cache's own: tracking
   * is switched on for it, and every key it reads is reported when it changes.
   */
  readonly store: OnlineStoreOptions;
  /**
   * A second connection of its own, made a Pub/Sub subscriber of {@link INVALIDATION_CHANNEL}.
   * Create it with `autoResubscribe: false`: after a reconnect the cache asks its new client id
   * before subscribing again, which a connection in subscriber mode cannot answer.
   */
  readonly subscriber: Redis;
  /** Users kept (least recently used evicted beyond; ~4 KB each at 100 events, measured). @defaultValue 10_000 */
  readonly maxEntries?: number;
  /** An entry is read again after this long even without an invalidation (bounds the damage of a lost message). @defaultValue 60_000 */
  readonly ttlMs?: number;
  /** Told when tracking switches on or off, with why (logging). */
  readonly onStateChange?: (tracking: boolean, reason: string) => void;
  /** Clock, epoch ms. @defaultValue `Date.now` */
  readonly now?: () => number;
}

/** Defaults laid under {@link UserContextNearCacheOptions}. */
export const DEFAULT_USER_CONTEXT_NEAR_CACHE_OPTIONS = { maxEntries: 10_000, ttlMs: 60_000 } as const;

/** Counters of a {@link UserContextNearCache} since it was created. */
export interface NearCacheStats {
  /** Reads answered in process. */
  readonly hits: number;
  /** Reads that went to Redis while tracking was on. */
  readonly misses: number;
  /** Reads that went to Redis because tracking was off (starting, reconnecting): never cached. */
  readonly bypassed: number;
  /** Users dropped because Redis reported a change of one of their keys (or a flush). */
  readonly invalidated: number;
  readonly size: number;
  readonly tracking: boolean;
}

interface Entry {
  readonly context: UserContext;
  readonly limit: number;
  readonly expiresAtMs: number;
}

interface InFlight {
  readonly promise: Promise<UserContext>;
  readonly limit: number;
  /** Set when one of the user's keys changed while the read ran: its answer may predate the change. */
  dirty: boolean;
}

/**
 * Users' request-time contexts (latest interactions and profile) kept in process until Redis
 * says they changed: Redis server-assisted client-side caching (`CLIENT TRACKING ... REDIRECT`,
 * the two-connection mode that works with RESP2 clients). Redis remembers which keys the
 * tracked connection read and publishes each one's name on {@link INVALIDATION_CHANNEL} when any
 * client modifies it (ingest appending an event, a profile update, a flush), so a repeat request
 * of an unchanged user needs no round trip, and a changed user is read again on its next request.
 *
 * Correctness rules: nothing is cached unless tracking is on; any close of either connection
 * turns tracking off and empties the cache (invalidations may have been missed), and tracking is
 * switched on again, with the subscriber's new client id, when both are ready; a read during
 * which one of its keys was invalidated, or tracking was reset, is answered but not cached (the
 * invalidation may have overtaken the reply on the other connection). A TTL bounds staleness if
 * a message was ever lost anyway.
 */
export class UserContextNearCache {
  private readonly store: OnlineStore;
  private readonly keys: OnlineKeys;
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly onStateChange: (tracking: boolean, reason: string) => void;
  /** Bounded by `lru-cache` (least recently used out); the TTL is checked here on `now` (expired at exactly `ttlMs`, where lru-cache's would still answer). */
  private readonly entries: LRUCache<string, Entry>;
  private readonly inFlight = new Map<string, InFlight>();
  private tracking = false;
  /** Bumped whenever tracking is reset: a read started under an older epoch is not cached. */
  private epoch = 0;
  private subscriberId: number | null = null;
  private closed = false;
  private counts = { hits: 0, misses: 0, bypassed: 0, invalidated: 0 };
  private readonly detach: (() => void)[] = [];

  /** @throws FeatureStoreError `FS_OPTIONS_INVALID` before any I/O. */
  constructor(options: UserContextNearCacheOptions) {
    this.store = new OnlineStore(options.store);
    this.keys = new OnlineKeys(options.store.keyPrefix ?? DEFAULT_ONLINE_STORE_OPTIONS.keyPrefix);
    this.redis = options.store.redis;
    this.subscriber = options.subscriber;
    if (this.subscriber === this.redis) {
      throw invalidOption('subscriber', 'must be a connection of its own (it becomes a Pub/Sub subscriber)');
    }
    const maxEntries = options.maxEntries ?? DEFAULT_USER_CONTEXT_NEAR_CACHE_OPTIONS.maxEntries;
    this.ttlMs = options.ttlMs ?? DEFAULT_USER_CONTEXT_NEAR_CACHE_OPTIONS.ttlMs;
    this.now = options.now ?? Date.now;
    this.onStateChange = options.onStateChange ?? ((): void => undefined);
    requireInt('maxEntries', maxEntries, 1);
    requireInt('ttlMs', this.ttlMs, 1);
    this.entries = new LRUCache({ max: maxEntries });
  }

  /**
   * Listens to both connections and switches tracking on as soon as both are ready (now, if they
   * are). Never rejects: until tracking is on, reads go straight to Redis.
   */
  async start(): Promise<void> {
    const on = (client: Redis, event: string, listener: (...args: unknown[]) => void): void => {
      client.on(event, listener);
      this.detach.push(() => client.off(event, listener));
    };
    on(this.subscriber, 'messageBuffer', (channel, message) => this.onMessage(channel, message));
    on(this.subscriber, 'close', () => {
      this.subscriberId = null;
      this.reset('subscriber connection closed');
    });
    on(this.redis, 'close', () => this.reset('tracked connection closed'));
    on(this.subscriber, 'ready', () => void this.subscribe());
    on(this.redis, 'ready', () => void this.track());
    if (this.subscriber.status === 'ready') {
      await this.subscribe();
    }
  }

  /** The user's latest interactions (newest first, at most `limit`) and profile. */
  async userContext(userId: string, limit: number): Promise<UserContext> {
    const entry = this.entries.get(userId);
    if (entry !== undefined && entry.limit === limit) {
      if (entry.expiresAtMs > this.now()) {
        this.counts.hits++;
        return entry.context;
      }
      this.entries.delete(userId);
    }
    if (!this.tracking) {
      this.counts.bypassed++;
      return this.store.userContext(userId, limit);
    }
    const shared = this.inFlight.get(userId);
    if (shared !== undefined && shared.limit === limit) {
      this.counts.hits++;
      return shared.promise;
    }
    this.counts.misses++;
    const epoch = this.epoch;
    const promise = this.store.userContext(userId, limit);
    const read: InFlight = { promise, limit, dirty: false };
    this.inFlight.set(userId, read);
    try {
      const context = await promise;
      if (this.tracking && this.epoch === epoch && !read.dirty) {
        this.entries.set(userId, { context, limit, expiresAtMs: this.now() + this.ttlMs });
      }
      return context;
    } finally {
      if (this.inFlight.get(userId) === read) {
        this.inFlight.delete(userId);
      }
    }
  }

  /** Counters and state. */
  stats(): NearCacheStats {
    return { ...this.counts, size: this.entries.size, tracking: this.tracking };
  }

  /** Stops listening and empties the cache; the connections stay open (their owner quits them). */
  close(): void {
    this.closed = true;
    this.detach.forEach((off) => off());
    this.reset('closed');
  }

  private onMessage(channel: unknown, message: unknown): void {
    if (String(channel) !== INVALIDATION_CHANNEL) {
      return;
    }
    if (message === null || message === undefined) {
      // A flush (FLUSHALL/FLUSHDB): every key is gone.
      this.counts.invalidated += this.entries.size;
      this.forgetAll();
      return;
    }
    for (const key of Array.isArray(message) ? message : [message]) {
      const userId = this.keys.userOfContextKey(String(key));
      if (userId === null) {
        continue;
      }
      if (this.entries.delete(userId)) {
        this.counts.invalidated++;
      }
      const read = this.inFlight.get(userId);
      if (read !== undefined) {
        read.dirty = true;
      }
    }
  }

  /** Subscriber (re)connected: learn its client id, subscribe, then point tracking at it. */
  private async subscribe(): Promise<void> {
    try {
      const id = Number(await this.subscriber.call('CLIENT', 'ID'));
      await this.subscriber.subscribe(INVALIDATION_CHANNEL);
      this.subscriberId = id;
      await this.track();
    } catch (error) {
      this.reset(`subscribing to invalidations failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Switches tracking on for the read connection, redirected to the current subscriber. */
  private async track(): Promise<void> {
    const id = this.subscriberId;
    if (this.closed || id === null || this.redis.status !== 'ready') {
      return;
    }
    this.reset('re-pointing tracking');
    const epoch = this.epoch;
    try {
      // OFF first: a connection already tracking for an older subscriber id is re-pointed cleanly.
      await this.redis.call('CLIENT', 'TRACKING', 'OFF');
      await this.redis.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(id));
    } catch (error) {
      this.reset(`switching tracking on failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (this.epoch === epoch && this.subscriberId === id && !this.closed) {
      this.tracking = true;
      this.onStateChange(true, `tracking on, invalidations to client ${id}`);
    }
  }

  /** Empties the cache; reads in flight will not be kept. */
  private forgetAll(): void {
    this.entries.clear();
    this.inFlight.forEach((read) => (read.dirty = true));
  }

  /** Tracking off and the cache emptied: invalidations may be missed from here on. */
  private reset(reason: string): void {
    this.epoch++;
    this.forgetAll();
    if (this.tracking) {
      this.tracking = false;
      this.onStateChange(false, reason);
    }
  }
}
