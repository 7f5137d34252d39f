import { randomUUID } from 'node:crypto';

import { checkService } from '@metarec/runtime/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { makeInteraction, makeUserProfile } from '../testing.js';
import { OnlineStore } from './online-store.js';
import { UserContextNearCache, type UserContextNearCacheOptions } from './user-context-near-cache.js';

const redisService = await checkService('redis');
const RUN = `fs-near:${randomUUID()}:`;
const LIMIT = 10;

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.skipIf(!redisService.available)('UserContextNearCache (real Redis, CLIENT TRACKING)', () => {
  let admin: Redis;
  let writer: OnlineStore;
  const opened: Redis[] = [];
  const caches: UserContextNearCache[] = [];
  let offset = 0n;

  beforeAll(() => {
    admin = new Redis(redisService.address);
    writer = new OnlineStore({ redis: admin, keyPrefix: RUN, recentLimit: LIMIT });
  });
  afterEach(async () => {
    caches.splice(0).forEach((cache) => cache.close());
    await Promise.all(opened.splice(0).map((client) => client.quit()));
  });
  afterAll(async () => {
    const keys = await admin.keys(`${RUN}*`);
    if (keys.length > 0) {
      await admin.del(...keys);
    }
    await admin.quit();
  });

  /** A user's event as ingest writes it (another client: the cache only learns of it from Redis). */
  async function rate(userId: string, itemId: string): Promise<void> {
    const record = makeInteraction({ user_id: userId, item_id: itemId, timestamp_ms: Date.now() });
    await writer.apply([{ kind: 'interactions', topic: 'events', partition: 0, entries: [{ offset: offset++, record }] }]);
  }

  async function started(options: Partial<Omit<UserContextNearCacheOptions, 'store' | 'subscriber'>> = {}, db = 0): Promise<{ cache: UserContextNearCache; redis: Redis; subscriber: Redis }> {
    const redis = new Redis(redisService.address, { db });
    const subscriber = new Redis(redisService.address, { autoResubscribe: false });
    opened.push(redis, subscriber);
    await Promise.all([redis, subscriber].map((c) => until('connection ready', () => c.status === 'ready')));
    const cache = new UserContextNearCache({ store: { redis, keyPrefix: RUN, recentLimit: LIMIT }, subscriber, ...options });
    caches.push(cache);
    await cache.start();
    await until('tracking on', () => cache.stats().tracking);
    return { cache, redis, subscriber };
  }

  const items = async (cache: UserContextNearCache, userId: string): Promise<string[]> => (await cache.userContext(userId, LIMIT)).recent.map((e) => e.item_id);

  it('answers a repeat read in process and re-reads a user once Redis reports a change to its events or profile', async () => {
    const { cache } = await started();
    const user = `u-${randomUUID()}`;
    await rate(user, 'a');
    expect(await items(cache, user)).toEqual(['a']);
    expect(await items(cache, user)).toEqual(['a']);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, size: 1 });

    await rate(user, 'b');
    await until('invalidation of the events key', () => cache.stats().invalidated === 1);
    expect(await items(cache, user)).toEqual(['b', 'a']);
    expect(cache.stats().misses).toBe(2);

    await writer.apply([{ kind: 'user_profiles', topic: 'users', partition: 0, entries: [{ offset: offset++, record: makeUserProfile({ user_id: user, age_bucket: '35-44' }) }] }]);
    await until('invalidation of the profile key', () => cache.stats().invalidated === 2);
    expect((await cache.userContext(user, LIMIT)).profile?.age_bucket).toBe('35-44');
  });

  it('shares one Redis read between concurrent requests of the same user', async () => {
    const { cache } = await started();
    const user = `u-${randomUUID()}`;
    await rate(user, 'a');
    const [a, b] = await Promise.all([cache.userContext(user, LIMIT), cache.userContext(user, LIMIT)]);
    expect(a).toBe(b);
    expect(cache.stats()).toMatchObject({ misses: 1, hits: 1, size: 1 });
  });

  it('leaves other users cached when one of them changes', async () => {
    const { cache } = await started();
    const [one, two] = [`u-${randomUUID()}`, `u-${randomUUID()}`];
    await rate(one, 'a');
    await rate(two, 'x');
    await items(cache, one);
    await items(cache, two);
    await rate(one, 'b');
    await until('invalidation', () => cache.stats().invalidated === 1);
    expect(cache.stats().size).toBe(1);
    expect(await items(cache, two)).toEqual(['x']);
    expect(cache.stats().hits).toBe(1);
  });

  it('does not cache a read whose key changed while its reply was on the way (the invalidation overtook it)', async () => {
    const { cache, redis } = await started();
    const user = `u-${randomUUID()}`;
    await rate(user, 'a');
    // Hold the read's reply in the socket: Redis executes the read (and starts tracking the key),
    // the write lands, its invalidation arrives on the other connection, then the reply is handled.
    redis.stream.pause();
    const read = cache.userContext(user, LIMIT);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await rate(user, 'b');
    await new Promise((resolve) => setTimeout(resolve, 100));
    redis.stream.resume();
    expect((await read).recent.map((e) => e.item_id)).toEqual(['a']);
    expect(cache.stats().size).toBe(0);
    expect(await items(cache, user)).toEqual(['b', 'a']);
    expect(cache.stats()).toMatchObject({ misses: 2, hits: 0, size: 1 });
  });

  it('turns tracking off and empties itself when either connection drops, and switches it back on after the reconnect', async () => {
    const states: string[] = [];
    const { cache, redis, subscriber } = await started({ onStateChange: (on, reason) => states.push(`${on ? 'on' : 'off'}: ${reason}`) });
    const user = `u-${randomUUID()}`;
    await rate(user, 'a');
    await items(cache, user);
    expect(cache.stats().size).toBe(1);

    // A subscriber cannot run CLIENT ID: it is found by its socket address.
    expect(await admin.call('CLIENT', 'KILL', 'ADDR', `${subscriber.stream.localAddress}:${subscriber.stream.localPort}`)).toBe(1);
    await until('tracking back on after the subscriber reconnected', () => states.filter((s) => s.startsWith('on')).length >= 2 && cache.stats().tracking);
    expect(states.some((s) => s.startsWith('off: subscriber connection closed'))).toBe(true);
    expect(cache.stats().size).toBe(0);
    // Invalidations flow to the new subscriber: a change after the reconnect is seen.
    await items(cache, user);
    await rate(user, 'b');
    await until('invalidation after the reconnect', () => cache.stats().size === 0);
    expect(await items(cache, user)).toEqual(['b', 'a']);

    await admin.call('CLIENT', 'KILL', 'ID', String(await redis.call('CLIENT', 'ID')));
    await until('tracking back on after the read connection reconnected', () => states.filter((s) => s.startsWith('on')).length >= 3 && cache.stats().tracking);
    expect(states.some((s) => s.startsWith('off: tracked connection closed'))).toBe(true);
    await items(cache, user);
    await rate(user, 'c');
    await until('invalidation on the re-tracked connection', () => cache.stats().size === 0);
    expect(await items(cache, user)).toEqual(['c', 'b', 'a']);
  });

  it('reads through without caching while tracking is off, keeps at most maxEntries users and re-reads after the TTL', async () => {
    let now = 1_000;
    const { cache } = await started({ maxEntries: 2, ttlMs: 500, now: () => now });
    const users = [0, 1, 2].map(() => `u-${randomUUID()}`);
    for (const user of users) {
      await rate(user, 'a');
      await items(cache, user);
    }
    expect(cache.stats().size).toBe(2);
    await items(cache, users[2]);
    expect(cache.stats().hits).toBe(1);
    now += 500;
    await items(cache, users[2]);
    expect(cache.stats().misses).toBe(4);

    cache.close();
    await items(cache, users[2]);
    await items(cache, users[2]);
    expect(cache.stats()).toMatchObject({ tracking: false, size: 0, bypassed: 2 });
  });

  it('empties itself when the database is flushed (a null invalidation)', async () => {
    // Database 15, used by nothing else here: FLUSHDB there cannot disturb other tests' keys.
    const { cache, redis } = await started({}, 15);
    const store15 = new OnlineStore({ redis, keyPrefix: RUN, recentLimit: LIMIT });
    const user = `u-${randomUUID()}`;
    await store15.apply([{ kind: 'interactions', topic: 'events', partition: 0, entries: [{ offset: 0n, record: makeInteraction({ user_id: user, item_id: 'a', timestamp_ms: Date.now() }) }] }]);
    expect(await items(cache, user)).toEqual(['a']);
    expect(cache.stats().size).toBe(1);
    const flusher = new Redis(redisService.address, { db: 15 });
    opened.push(flusher);
    await flusher.flushdb();
    await until('flush invalidation', () => cache.stats().size === 0);
    expect(await items(cache, user)).toEqual([]);
  });

  it('refuses to use one connection for both reading and invalidations', () => {
    const redis = new Redis(redisService.address, { lazyConnect: true });
    expect(() => new UserContextNearCache({ store: { redis }, subscriber: redis })).toThrow(/subscriber/);
  });
});
