import { liveTensorCount } from '@metarec/meta-learning';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildTestServing, type TestServing, TEST_FEEDBACK_AUTHORIZATION } from '../testing.js';

let t: TestServing;

beforeAll(async () => {
  t = await buildTestServing({ service: { recommender: { maxK: 500 } } });
});

afterAll(async () => {
  await t.close();
});

function ratedItems(userId: string): Set<string> {
  return new Set(t.world.interactions.filter((e) => e.user_id === userId).map((e) => e.item_id));
}

describe('Recommender', () => {
  it('adapts a user with ratings, then serves the cached user model until the ratings change', async () => {
    const userId = t.world.warmUserIds[0];
    const first = await t.service.recommender.recommend({ userId, k: 10 });
    expect(first.path).toBe('adapted');
    expect(first.items).toHaveLength(10);
    expect(first.supportCount).toBeGreaterThan(0);
    expect(first.degraded).toEqual([]);
    const seen = ratedItems(userId);
    expect(first.items.some((item) => seen.has(item.itemId))).toBe(false);
    const second = await t.service.recommender.recommend({ userId, k: 10 });
    expect(second.path).toBe('cached');
    expect(second.items).toEqual(first.items);
  });

  it('scores a user without interactions from the prior (cold path)', async () => {
    const result = await t.service.recommender.recommend({ userId: 'brand-new-user', k: 5 });
    expect(result.path).toBe('cold');
    expect(result.items).toHaveLength(5);
    expect(result.supportCount).toBe(0);
    expect(result.items.every((item) => Number.isFinite(item.score))).toBe(true);
  });

  it('gives items unknown to the model a reserved share of the candidates', async () => {
    const newItem = t.world.newItemIds[0];
    // The item gets some traction after training: it is popular but has no id embedding.
    for (let u = 0; u < 30; u++) {
      t.reader.add({ user_id: `fan-${u}`, item_id: newItem, event_type: 'view', value: null, timestamp_ms: Date.now(), session_id: null, device: null });
    }
    const model = t.service.holder.model;
    expect(model?.knowsItem(newItem)).toBe(false);
    const result = await t.service.recommender.recommend({ userId: 'another-new-user', k: 500 });
    expect(result.items.map((i) => i.itemId)).toContain(newItem);
  });

  it('adapts to feedback on the very next request', async () => {
    const userId = 'feedback-user';
    const before = await t.service.recommender.recommend({ userId, k: 20 });
    expect(before.path).toBe('cold');
    const liked = before.items[0].itemId;
    await t.service.feedback.submit({ user_id: userId, item_id: liked, event_type: 'rating', value: 5, timestamp_ms: Date.now() }, TEST_FEEDBACK_AUTHORIZATION);
    const after = await t.service.recommender.recommend({ userId, k: 20 });
    expect(after.path).toBe('adapted');
    expect(after.supportCount).toBe(1);
    expect(after.items.map((i) => i.itemId)).not.toContain(liked);
    expect(after.items.map((i) => i.score)).not.toEqual(before.items.slice(1).map((i) => i.score));
    expect(t.kafka.messages('metarec.interactions')).toHaveLength(1);
  });

  it('excludes items the caller passes', async () => {
    const all = await t.service.recommender.recommend({ userId: 'ctx-user', k: 5 });
    const excluded = all.items.slice(0, 2).map((i) => i.itemId);
    const result = await t.service.recommender.recommend({ userId: 'ctx-user', k: 5, exclude: excluded });
    expect(result.items.map((i) => i.itemId)).not.toContain(excluded[0]);
    expect(result.items.map((i) => i.itemId)).not.toContain(excluded[1]);
  });

  it('serves the cold path with a reason, not an error, while the store is down', async () => {
    const userId = t.world.warmUserIds[1];
    await t.service.recommender.recommend({ userId: 'warm-up-popular', k: 5 });
    t.reader.failWith = new Error('ECONNREFUSED 127.0.0.1:6380');
    try {
      const result = await t.service.recommender.recommend({ userId, k: 10 });
      expect(result.path).toBe('cold');
      expect(result.items.length).toBe(10);
      expect(result.degraded.some((r) => r.startsWith('user context unavailable'))).toBe(true);
      // The client's error text (hosts, ports) is logged, never returned.
      expect(result.degraded.join(' ')).not.toMatch(/ECONNREFUSED|6380/);
    } finally {
      t.reader.failWith = null;
    }
  });

  it('serves a user’s cached model while the store is down', async () => {
    const userId = t.world.warmUserIds[2];
    expect((await t.service.recommender.recommend({ userId, k: 5 })).path).toBe('adapted');
    t.reader.failWith = new Error('ECONNREFUSED 127.0.0.1:6380');
    try {
      const result = await t.service.recommender.recommend({ userId, k: 5 });
      expect(result.path).toBe('cached');
      expect(result.degraded[0]).toMatch(/^user context unavailable/);
    } finally {
      t.reader.failWith = null;
    }
  });

  it('rejects k out of range naming the field', async () => {
    await expect(t.service.recommender.recommend({ userId: 'u', k: 0 })).rejects.toMatchObject({ code: 'SERVING_INPUT_INVALID', field: 'k' });
    await expect(t.service.recommender.recommend({ userId: 'u', k: 501 })).rejects.toMatchObject({ code: 'SERVING_INPUT_INVALID', field: 'k' });
  });

  it('keeps the live tensor count flat over many requests (cache churn included)', async () => {
    const users = t.world.warmUserIds.slice(0, 12);
    const run = async (): Promise<void> => {
      for (const userId of users) {
        await t.service.recommender.recommend({ userId, k: 20 });
        t.service.cache.invalidate(userId);
      }
    };
    await run();
    const before = liveTensorCount();
    await run();
    await run();
    expect(liveTensorCount()).toBe(before);
  });

  it('swaps the model under concurrent requests without a failure, and frees the old one', async () => {
    const users = [...t.world.warmUserIds.slice(0, 30), 'cold-a', 'cold-b'];
    const old = t.service.holder.model;
    const next = await t.loadModel(2);
    const requests = users.map((userId) => t.service.recommender.recommend({ userId, k: 10 }));
    t.service.install(next);
    const results = await Promise.all(requests);
    expect(results.every((r) => r.items.length === 10)).toBe(true);
    expect(old?.isDisposed).toBe(true);
    const after = await t.service.recommender.recommend({ userId: users[0], k: 10 });
    expect(after.modelVersion).toBe(2);
    expect(after.path).toBe('adapted');
  });
});
