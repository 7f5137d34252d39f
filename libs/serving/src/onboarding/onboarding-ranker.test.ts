import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { buildTestServing, type TestServing } from '../testing.js';

let t: TestServing;

beforeAll(async () => {
  t = await buildTestServing();
});

afterAll(async () => {
  await t.close();
});

describe('OnboardingRanker', () => {
  it('returns k popular, discriminative items ordered by evidence', async () => {
    const result = await t.service.onboarding.onboarding('newcomer', 10);
    expect(result.items).toHaveLength(10);
    expect(result.modelVersion).toBe(1);
    const evidence = result.items.map((i) => i.evidence);
    expect([...evidence].sort((a, b) => b - a)).toEqual(evidence);
    expect(result.items.every((i) => i.discrimination > 0 && i.popularity > 0 && i.popularity <= 1)).toBe(true);
  });

  it('leaves out items the user already interacted with', async () => {
    const userId = t.world.warmUserIds[0];
    const seen = new Set(t.world.interactions.filter((e) => e.user_id === userId).map((e) => e.item_id));
    const result = await t.service.onboarding.onboarding(userId, 20);
    expect(result.items.some((i) => seen.has(i.itemId))).toBe(false);
  });

  it('asks about popular items only (not the newest, which nobody knows yet), and answers a repeat from the memo identically', async () => {
    t.reader.addItem({ item_id: 'just-published', title: 'x', categories: [], release_year: null, numeric_attributes: {}, updated_at_ms: Date.now() });
    const first = await t.service.onboarding.onboarding('newcomer-2', 50);
    expect(first.items.map((i) => i.itemId)).not.toContain('just-published');
    expect(await t.service.onboarding.onboarding('newcomer-2', 50)).toEqual(first);
  });

  it('rejects k out of range naming the field', async () => {
    await expect(t.service.onboarding.onboarding('x', 51)).rejects.toMatchObject({ code: 'SERVING_INPUT_INVALID', field: 'k' });
  });
});

describe('OnboardingRanker and recommendations', () => {
  it('share one encoded-item cache: items a recommendation encoded are not encoded again for onboarding', async () => {
    const own = await buildTestServing();
    try {
      const cold = await own.service.recommender.recommend({ userId: 'cold-1', k: 10 });
      expect(cold.path).toBe('cold');
      const model = own.service.holder.model;
      if (model === null) {
        throw new Error('no model loaded');
      }
      const encode = vi.spyOn(model, 'encodeItems');
      const onboarding = await own.service.onboarding.onboarding('cold-2', 10);
      expect(onboarding.items).toHaveLength(10);
      // The onboarding pool (the 200 most popular items) lies inside the 500 candidates just scored.
      expect(encode).not.toHaveBeenCalled();
    } finally {
      await own.close();
    }
  });
});
