import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildTestServing, type TestServing, TEST_FEEDBACK_AUTHORIZATION } from '../testing.js';

let memo: TestServing;
let plain: TestServing;

beforeAll(async () => {
  memo = await buildTestServing();
  // Same world and model weights (same seed), memoising off: every request scores every candidate.
  plain = await buildTestServing({ world: memo.world, service: { userCache: { scoreMemoEntries: 0 }, recommender: { priorMemoUsers: 0 } } });
});

afterAll(async () => {
  await memo.close();
  await plain.close();
});

function close(a: readonly { itemId: string; score: number }[], b: readonly { itemId: string; score: number }[]): void {
  expect(a.map((i) => i.itemId)).toEqual(b.map((i) => i.itemId));
  a.forEach((item, i) => expect(item.score).toBeCloseTo(b[i].score, 5));
}

describe('Recommender score memo', () => {
  it('answers a cached user from memoised scores (nothing encoded or scored) exactly as a full rescoring would', async () => {
    const userId = memo.world.warmUserIds[3];
    expect((await memo.service.recommender.recommend({ userId, k: 20 })).path).toBe('adapted');
    const cached = await memo.service.recommender.recommend({ userId, k: 20 });
    expect(cached.path).toBe('cached');
    expect(cached.timings.encode).toBeUndefined();
    await plain.service.recommender.recommend({ userId, k: 20 });
    const rescored = await plain.service.recommender.recommend({ userId, k: 20 });
    expect(rescored.path).toBe('cached');
    expect(rescored.timings.encode).toBeGreaterThanOrEqual(0);
    close(cached.items, rescored.items);
  });

  it('scores only candidates the memo has not seen (an exclusion leaves room for new ones)', async () => {
    const userId = memo.world.warmUserIds[4];
    await memo.service.recommender.recommend({ userId, k: 20 });
    const first = await memo.service.recommender.recommend({ userId, k: 20 });
    const exclude = first.items.slice(0, 5).map((i) => i.itemId);
    const narrowed = await memo.service.recommender.recommend({ userId, k: 20, exclude });
    await plain.service.recommender.recommend({ userId, k: 20 });
    close(narrowed.items, (await plain.service.recommender.recommend({ userId, k: 20, exclude })).items);
  });

  it('memoises the prior for cold users and matches a full rescoring', async () => {
    await memo.service.recommender.recommend({ userId: 'cold-1', k: 10 });
    const second = await memo.service.recommender.recommend({ userId: 'cold-2', k: 10 });
    expect(second.path).toBe('cold');
    expect(second.timings.encode).toBeUndefined();
    close(second.items, (await plain.service.recommender.recommend({ userId: 'cold-2', k: 10 })).items);
  });

  it('rescores an item whose profile changed (catalog epoch), instead of serving its memoised score', async () => {
    const world = memo.world;
    const fresh = await buildTestServing({ world, service: { itemProfiles: { ttlMs: 0 }, recommender: { maxK: 500 } } });
    try {
      const userId = world.warmUserIds[6];
      await fresh.service.recommender.recommend({ userId, k: 50 });
      const before = await fresh.service.recommender.recommend({ userId, k: 50 });
      expect(before.path).toBe('cached');
      const target = before.items[0].itemId;
      const profile = world.dataset.items.find((i) => i.item_id === target);
      if (profile === undefined) {
        throw new Error(`item ${target} is not in the world`);
      }
      const numeric = Object.fromEntries(Object.keys(profile.numeric_attributes).map((k) => [k, -1e3]));
      const changed = { ...profile, categories: [], numeric_attributes: numeric, updated_at_ms: profile.updated_at_ms + 1 };
      fresh.reader.addItem(changed);
      // The first request serves the held profile and refreshes it in the background.
      await fresh.service.recommender.recommend({ userId, k: 50 });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const after = await fresh.service.recommender.recommend({ userId, k: 500 });
      expect(after.path).toBe('cached');
      expect(after.timings.encode).toBeGreaterThanOrEqual(0);
      const scoreOf = (r: typeof after): number | undefined => r.items.find((i) => i.itemId === target)?.score;
      expect(scoreOf(after)).not.toBeCloseTo(before.items[0].score, 4);
    } finally {
      await fresh.close();
    }
  });

  it('re-adapts and rescores after feedback, never serving the memo of the old user model', async () => {
    const userId = memo.world.warmUserIds[5];
    await memo.service.recommender.recommend({ userId, k: 20 });
    const before = await memo.service.recommender.recommend({ userId, k: 20 });
    const liked = before.items[0].itemId;
    await memo.service.feedback.submit({ user_id: userId, item_id: liked, event_type: 'rating', value: 1, timestamp_ms: Date.now() }, TEST_FEEDBACK_AUTHORIZATION);
    const after = await memo.service.recommender.recommend({ userId, k: 20 });
    expect(after.path).toBe('adapted');
    expect(after.items.map((i) => i.itemId)).not.toContain(liked);
    await plain.service.feedback.submit({ user_id: userId, item_id: liked, event_type: 'rating', value: 1, timestamp_ms: Date.now() }, TEST_FEEDBACK_AUTHORIZATION);
    close(after.items, (await plain.service.recommender.recommend({ userId, k: 20 })).items);
  });
});
