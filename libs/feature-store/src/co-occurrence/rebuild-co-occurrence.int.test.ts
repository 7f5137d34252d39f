import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { checkService } from '@metarec/runtime/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { OfflineReader } from '../offline/offline-reader.js';
import { OfflineWriter } from '../offline/offline-writer.js';
import { OnlineStore } from '../online/online-store.js';
import { makeInteraction, TEST_TIME_MS } from '../testing.js';
import { rebuildCoOccurrence } from './rebuild-co-occurrence.js';

const redisService = await checkService('redis');
const RUN = `fs-co-int:${randomUUID()}:`;
const DAY = { fromDate: '2026-03-01', toDate: '2026-03-01' };

describe.skipIf(!redisService.available)('rebuildCoOccurrence (offline store → real Redis)', () => {
  let redis: Redis;
  let root: string;
  beforeAll(async () => {
    redis = new Redis(redisService.address);
    root = await mkdtemp(join(tmpdir(), 'fs-co-'));
  });
  afterAll(async () => {
    const keys = await redis.keys(`${RUN}*`);
    if (keys.length > 0) {
      await redis.del(...keys);
    }
    await redis.quit();
    await rm(root, { recursive: true, force: true });
  });

  it('replaces the co-occurrence sets from the offline store, removes stale ones, and reruns to the same state', async () => {
    const writer = new OfflineWriter({ root });
    const events: [string, string][] = [['u1', 'a'], ['u1', 'b'], ['u1', 'c'], ['u2', 'a'], ['u2', 'b']];
    const entries = events.map(([user_id, item_id], i) => ({ offset: BigInt(i), record: makeInteraction({ user_id, item_id, timestamp_ms: TEST_TIME_MS + i * 1000 }) }));
    await writer.write('interactions', 'events', 0, entries.slice(0, 3));
    await writer.write('interactions', 'events', 0, entries.slice(3));
    const prefix = `${RUN}${randomUUID()}:`;
    await redis.zadd(`${prefix}co:gone`, 5, 'a'); // an item without followers in the range
    const options = { reader: new OfflineReader({ root }), redis, range: DAY, keyPrefix: prefix, window: 2, maxPerItem: 10 };
    const report = await rebuildCoOccurrence(options);
    expect(report).toEqual({ interactions: 5, items: 2, pairs: 3, removed: 1 });
    const store = new OnlineStore({ redis, keyPrefix: prefix });
    expect(await store.coOccurring('a', 5)).toEqual([
      { itemId: 'b', score: 2 },
      { itemId: 'c', score: 1 },
    ]);
    expect(await store.coOccurring('b', 5)).toEqual([{ itemId: 'c', score: 1 }]);
    expect(await store.coOccurring('gone', 5)).toEqual([]);
    const before = (await redis.keys(`${prefix}*`)).sort();
    expect(await rebuildCoOccurrence(options)).toEqual({ ...report, removed: 0 });
    expect((await redis.keys(`${prefix}*`)).sort()).toEqual(before);
    expect(await store.coOccurring('a', 5)).toEqual([
      { itemId: 'b', score: 2 },
      { itemId: 'c', score: 1 },
    ]);
  });

  it('caps the followers kept per item and rejects a bad window', async () => {
    const writer = new OfflineWriter({ root: join(root, 'cap') });
    const items = ['x', 'p', 'q', 'r'];
    await writer.write('interactions', 'events', 1, items.map((item_id, i) => ({ offset: BigInt(i), record: makeInteraction({ user_id: 'u9', item_id, timestamp_ms: TEST_TIME_MS + i }) })));
    const prefix = `${RUN}${randomUUID()}:`;
    const report = await rebuildCoOccurrence({ reader: new OfflineReader({ root: join(root, 'cap') }), redis, range: DAY, keyPrefix: prefix, window: 5, maxPerItem: 2 });
    expect(report.pairs).toBe(2 + 2 + 1);
    expect(await redis.zcard(`${prefix}co:x`)).toBe(2);
    await expect(rebuildCoOccurrence({ reader: new OfflineReader({ root }), redis, range: DAY, window: 0 })).rejects.toMatchObject({ code: 'FS_OPTIONS_INVALID' });
  });
});
