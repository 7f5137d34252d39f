import { score, type ItemRows } from '@metarec/meta-learning';
import type { ItemProfile } from '@metarec/schemas';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import type { ServingModel } from '../model/serving-model.js';
import { buildTestServing, type TestServing } from '../testing.js';
import { referenceUsers } from './reference-users.js';

/** Rows encoded afresh, outside every cache: what both paths must agree with. */
function freshRows(model: ServingModel, profiles: readonly ItemProfile[]): ItemRows {
  const table = model.encodeItems(profiles);
  return { count: profiles.length, itemIndices: table.fields, itemCategories: table.categories, itemNumeric: table.numeric };
}

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

  it('encode each item once between them, in either order, and agree with rows encoded afresh', async () => {
    const own = await buildTestServing();
    try {
      const model = own.service.holder.model;
      if (model === null) {
        throw new Error('no model loaded');
      }
      const encode = vi.spyOn(model, 'encodeItems');
      const first = await own.service.onboarding.onboarding('cold-1', 50);
      const cold = await own.service.recommender.recommend({ userId: 'cold-2', k: 50 });
      const again = await own.service.onboarding.onboarding('cold-3', 50);
      const encoded = encode.mock.calls.flatMap(([items]) => items.map((i) => i.item_id));
      encode.mockRestore();
      // Onboarding encoded its pool, the recommendation only the candidates outside it, and the
      // repeat nothing: no item went through the encoder twice.
      expect(encoded.length).toBeGreaterThan(first.items.length);
      expect(new Set(encoded).size).toBe(encoded.length);
      expect(again.items).toEqual(first.items);

      const profileOf = new Map(own.world.dataset.items.map((p) => [p.item_id, p]));
      // Onboarding's discrimination: the spread of the prior over the reference users, on fresh rows.
      const asked = first.items.map((i) => profileOf.get(i.itemId) as ItemProfile);
      const rows = freshRows(model, asked);
      const perUser = referenceUsers(model, 16).map((u) => score(model.prior, model.encodeUser(u), rows));
      first.items.forEach((item, i) => {
        const s = perUser.map((scores) => scores[i]);
        const mean = s.reduce((a, b) => a + b, 0) / s.length;
        const sd = Math.sqrt(Math.max(0, s.reduce((a, b) => a + b * b, 0) / s.length - mean * mean));
        expect(item.discrimination).toBeCloseTo(sd, 5);
      });
      // The recommendation's scores: the prior on fresh rows, items onboarding encoded included.
      expect(cold.path).toBe('cold');
      const expected = score(model.prior, model.encodeUser({ user_id: 'cold-2' }), freshRows(model, cold.items.map((i) => profileOf.get(i.itemId) as ItemProfile)));
      cold.items.forEach((item, i) => expect(item.score).toBeCloseTo(expected[i], 5));
      expect(cold.items.some((i) => first.items.some((o) => o.itemId === i.itemId))).toBe(true);
    } finally {
      await own.close();
    }
  });
});
