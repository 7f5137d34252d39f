import { randomUUID } from 'node:crypto';

import { checkService } from '@metarec/runtime/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeInteraction, makeItemProfile, makeUserProfile } from '../testing.js';
import type { OnlineBatch } from './online-batch.js';
import { OnlineStore } from './online-store.js';

const redisService = await checkService('redis');
// Real time: popularity buckets expire at an absolute time (event time + window), so a fixed
// clock would make this test fail once the wall clock passes it.
const NOW = Date.now();
const HOUR = 3_600_000;
/** Every key of this run starts with it, so afterAll removes them all. */
const RUN = `fs-int:${randomUUID()}:`;

function interactions(partition: number, events: readonly [user: string, item: string, minutesAgo: number][], firstOffset = 0): OnlineBatch<'interactions'> {
  return {
    kind: 'interactions',
    topic: 'events',
    partition,
    entries: events.map(([user, item, minutesAgo], i) => ({
      offset: BigInt(firstOffset + i),
      record: makeInteraction({ user_id: user, item_id: item, timestamp_ms: NOW - minutesAgo * 60_000 }),
    })),
  };
}

async function dump(redis: Redis, prefix: string): Promise<Record<string, unknown>> {
  const keys = (await redis.keys(`${prefix}*`)).sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const type = await redis.type(key);
    out[key] = type === 'zset' ? await redis.zrange(key, 0, -1, 'WITHSCORES') : type === 'list' ? await redis.lrange(key, 0, -1) : type === 'string' ? await redis.get(key) : await redis.hgetall(key);
  }
  return out;
}

describe.skipIf(!redisService.available)('OnlineStore (real Redis)', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(redisService.address, { lazyConnect: false });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${RUN}*`);
    if (keys.length > 0) {
      await redis.del(...keys);
    }
    await redis.quit();
  });

  function store(prefix: string, recentLimit = 3): OnlineStore {
    return new OnlineStore({ redis, keyPrefix: prefix, recentLimit, coOccurrenceWindow: 2, popularityWindowMs: 2 * HOUR, popularityBucketMs: HOUR });
  }

  it('keeps the latest N interactions per user, newest first, with the profile', async () => {
    const prefix = `${RUN}${randomUUID()}:`;
    const s = store(prefix);
    await s.apply([interactions(0, [['u1', 'a', 50], ['u1', 'b', 40], ['u1', 'c', 30], ['u1', 'd', 20]])]);
    await s.apply([{ kind: 'user_profiles', topic: 'users', partition: 0, entries: [{ offset: 0n, record: makeUserProfile({ user_id: 'u1' }) }] }]);
    const context = await s.userContext('u1');
    expect(context.recent.map((r) => r.item_id)).toEqual(['d', 'c', 'b']);
    expect(context.profile?.age_bucket).toBe('25-34');
    expect((await s.userContext('nobody')).profile).toBeNull();
  });

  it('stores the payload text given with an interaction as is, and reads it back as the full record', async () => {
    const prefix = `${RUN}${randomUUID()}:`;
    const s = store(prefix);
    const record = makeInteraction({ user_id: 'u9', timestamp_ms: NOW });
    const { session_id: _omitted, ...sent } = record; // producers may omit nullable fields
    const json = JSON.stringify(sent);
    await s.apply([{ kind: 'interactions', topic: 'events', partition: 0, entries: [{ offset: 0n, record, json }] }]);
    expect(await redis.lrange(`${prefix}recent-events:u9`, 0, -1)).toEqual([json]);
    expect((await s.userContext('u9')).recent).toEqual([record]);
  });

  it('counts popularity over the trailing window and which items followed which within the recent window', async () => {
    const prefix = `${RUN}${randomUUID()}:`;
    const s = store(prefix);
    await s.apply([
      interactions(0, [['u1', 'a', 10], ['u1', 'b', 9], ['u1', 'c', 8]]),
      interactions(1, [['u2', 'a', 10], ['u2', 'b', 9], ['u2', 'old', 300]]),
    ]);
    expect(await s.topPopular(2, NOW)).toEqual([
      { itemId: 'a', score: 2 },
      { itemId: 'b', score: 2 },
    ]);
    expect((await s.topPopular(10, NOW)).map((x) => x.itemId)).not.toContain('old');
    // Directed: after a, users went to b (twice), then c and old; after b, to c and old.
    expect(await s.coOccurring('a', 5)).toEqual([
      { itemId: 'b', score: 2 },
      { itemId: 'old', score: 1 },
      { itemId: 'c', score: 1 },
    ]);
    expect(await s.coOccurring('b', 5)).toEqual([
      { itemId: 'old', score: 1 },
      { itemId: 'c', score: 1 },
    ]);
    expect(await s.coOccurring('c', 5)).toEqual([]);
  });

  it('stores the newest profile only and reads item profiles in bulk', async () => {
    const prefix = `${RUN}${randomUUID()}:`;
    const s = store(prefix);
    await s.apply([
      {
        kind: 'item_profiles',
        topic: 'items',
        partition: 0,
        entries: [
          { offset: 0n, record: makeItemProfile({ item_id: 'i1', title: 'new', updated_at_ms: NOW }) },
          { offset: 1n, record: makeItemProfile({ item_id: 'i1', title: 'stale', updated_at_ms: NOW - HOUR }) },
          { offset: 2n, record: makeItemProfile({ item_id: 'i2', title: 'two' }) },
        ],
      },
    ]);
    expect((await s.itemProfiles(['i2', 'missing', 'i1'])).map((p) => p?.title ?? null)).toEqual(['two', null, 'new']);
  });

  it.each([500, 4])('leaves exactly the state of one clean pass when records are replayed from an older offset (%i events per call)', async (maxEventsPerCall) => {
    const events: [string, string, number][] = Array.from({ length: 40 }, (_, i) => [`u${i % 3}`, `i${(i * 7) % 5}`, 100 - i]);
    const clean = `${RUN}${randomUUID()}:`;
    await store(clean).apply([interactions(0, events)]);
    const replayed = `${RUN}${randomUUID()}:`;
    const s = new OnlineStore({ redis, keyPrefix: replayed, recentLimit: 3, coOccurrenceWindow: 2, popularityWindowMs: 2 * HOUR, popularityBucketMs: HOUR, maxEventsPerCall });
    await s.apply([interactions(0, events.slice(0, 25))]);
    // Crash after 25, resume from committed 10: chunks below 25 are skipped, the one straddling
    // 24 is refused with every chunk after it, and all are resent from 25.
    expect(await s.apply([interactions(0, events.slice(10), 10)])).toBe(15);
    const strip = (state: Record<string, unknown>, prefix: string): Record<string, unknown> =>
      Object.fromEntries(Object.entries(state).map(([k, v]) => [k.slice(prefix.length), v]));
    expect(strip(await dump(redis, replayed), replayed)).toEqual(strip(await dump(redis, clean), clean));
    expect(await s.highWaterOffsets('interactions')).toEqual(new Map([['events|0', 39n]]));
  });

  function items(partition: number, profiles: readonly [item: string, minutesAgo: number][], firstOffset = 0): OnlineBatch<'item_profiles'> {
    return {
      kind: 'item_profiles',
      topic: 'items',
      partition,
      entries: profiles.map(([item, minutesAgo], i) => ({
        offset: BigInt(firstOffset + i),
        record: makeItemProfile({ item_id: item, updated_at_ms: NOW - minutesAgo * 60_000 }),
      })),
    };
  }

  it('lists items newest first by their first profile, and a replay from an older offset changes nothing', async () => {
    const profiles: [string, number][] = [['a', 50], ['b', 10], ['c', 30], ['d', 20], ['e', 40]];
    const clean = `${RUN}${randomUUID()}:`;
    await store(clean).apply([items(0, profiles)]);
    const replayed = `${RUN}${randomUUID()}:`;
    const s = new OnlineStore({ redis, keyPrefix: replayed });
    await s.apply([items(0, profiles.slice(0, 4))]);
    await s.apply([items(0, profiles.slice(1), 1)]); // crash after 4, resume from committed 1
    await s.apply([items(0, profiles)]); // whole partition again
    expect(await s.newestItems(10)).toEqual(['b', 'd', 'c', 'e', 'a']);
    expect(await s.newestItems(2)).toEqual(['b', 'd']);
    const strip = (state: Record<string, unknown>, prefix: string): Record<string, unknown> =>
      Object.fromEntries(Object.entries(state).map(([k, v]) => [k.slice(prefix.length), v]));
    expect(strip(await dump(redis, replayed), replayed)).toEqual(strip(await dump(redis, clean), clean));
    expect(await redis.zscore(`${replayed}newest-items`, 'b')).toBe(String(NOW - 10 * 60_000));
  });

  it('keeps at most newestItemsLimit items, trims the oldest, and never re-lists a known item on update', async () => {
    const prefix = `${RUN}${randomUUID()}:`;
    const s = new OnlineStore({ redis, keyPrefix: prefix, newestItemsLimit: 3 });
    await s.apply([items(0, [['a', 50], ['b', 40], ['c', 30]])]);
    await s.apply([items(1, [['d', 20], ['e', 45]])]);
    expect(await s.newestItems(10)).toEqual(['d', 'c', 'b']);
    // An update of a trimmed item (a, newer time) and of a listed one (b) keeps first-seen times;
    // so does a late older version of c.
    await s.apply([items(0, [['a', 1], ['b', 2], ['c', 90]], 3)]);
    expect(await s.newestItems(10)).toEqual(['d', 'c', 'b']);
    expect(await redis.zcard(`${prefix}newest-items`)).toBe(3);
    // User profiles never enter the list.
    await s.apply([{ kind: 'user_profiles', topic: 'users', partition: 0, entries: [{ offset: 0n, record: makeUserProfile({ user_id: 'zz' }) }] }]);
    expect(await s.newestItems(10)).toEqual(['d', 'c', 'b']);
    await expect(s.newestItems(0)).rejects.toMatchObject({ code: 'FS_OPTIONS_INVALID' });
  });

  it('rejects invalid options before touching Redis', () => {
    expect(() => new OnlineStore({ redis, popularityWindowMs: 5_000, popularityBucketMs: 3_000 })).toThrow(/must divide/);
    expect(() => new OnlineStore({ redis, recentLimit: 0 })).toThrow(expect.objectContaining({ code: 'FS_OPTIONS_INVALID' }));
    expect(() => new OnlineStore({ redis, newestItemsLimit: 0 })).toThrow(expect.objectContaining({ code: 'FS_OPTIONS_INVALID' }));
  });
});
