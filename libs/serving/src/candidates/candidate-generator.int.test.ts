// CandidateGenerator over the real online store (Redis): the store's newest-items list reaches the candidates.
import { OnlineStore } from '@metarec/feature-store';
import { checkService } from '@metarec/runtime/testing';
import type { Interaction, ItemProfile } from '@metarec/schemas';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CandidateGenerator } from './candidate-generator.js';

const redisService = await checkService('redis');
const PREFIX = `serving-cand-int-${process.pid}-${Date.now()}:`;
let redis: Redis;
let store: OnlineStore;

function item(id: string, atMs: number): ItemProfile {
  return { item_id: id, title: id, categories: [], release_year: null, numeric_attributes: {}, updated_at_ms: atMs };
}

function view(user: string, itemId: string, atMs: number): Interaction {
  return { user_id: user, item_id: itemId, event_type: 'view', value: null, timestamp_ms: atMs, session_id: null, device: null };
}

beforeAll(async () => {
  if (!redisService.available) {
    return;
  }
  redis = new Redis(redisService.address);
  store = new OnlineStore({ redis, keyPrefix: PREFIX });
});

afterAll(async () => {
  if (redis === undefined) {
    return;
  }
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length > 0) {
    await redis.del(...keys);
  }
  await redis.quit();
});

describe.skipIf(!redisService.available)(`CandidateGenerator on Redis${redisService.available ? '' : ` (${redisService.skipReason})`}`, () => {
  it('puts items published after the popular ones (no interactions yet) into the new-item share, minus seen', async () => {
    const now = Date.now();
    const popular = Array.from({ length: 30 }, (_, i) => `pop-${i}`);
    await store.apply([
      { kind: 'item_profiles', topic: 'items', partition: 0, entries: [...popular.map((id, i) => item(id, now - 100_000 + i)), item('fresh-1', now - 10), item('fresh-2', now - 5)].map((record, i) => ({ offset: BigInt(i), record })) },
      { kind: 'interactions', topic: 'events', partition: 0, entries: popular.map((id, i) => ({ offset: BigInt(i), record: view(`u${i}`, id, now - 1_000) })) },
    ]);
    const generator = new CandidateGenerator({ reader: store, size: 20, newItemShare: 0.1 });
    const result = await generator.generate({ recent: [view('me', 'fresh-2', now)], isNewItem: () => false });
    expect(result.degraded).toEqual([]);
    expect(result.itemIds[0]).toBe('fresh-1');
    expect(result.itemIds).not.toContain('fresh-2');
    expect(result.counts.newItems).toBeGreaterThanOrEqual(1);
    expect(result.itemIds).toHaveLength(20);
  });
});
