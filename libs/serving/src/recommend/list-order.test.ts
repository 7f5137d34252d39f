import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildTestServing, buildTestWorld, testListHead, type TestServing } from '../testing.js';

const world = buildTestWorld();
const ratedBy = (userId: string): string[] => world.interactions.filter((e) => e.user_id === userId && e.event_type === 'rating').map((e) => e.item_id);
const userId = world.warmUserIds[0];
const head = testListHead(world);
const popularity = new Map(head.itemIds.map((id, s) => [id, head.logPopularity[s]]));
// A known item the user has not rated and that is not among the most popular: the item-item model will pull it to the top.
const pulled = head.itemIds.slice(50).find((id) => !ratedBy(userId).includes(id)) as string;

let plain: TestServing;
let headed: TestServing;

beforeAll(async () => {
  plain = await buildTestServing({ world, service: { recommender: { maxK: 500 } } });
  headed = await buildTestServing({
    world,
    service: { recommender: { maxK: 500 } },
    // Popularity alone without ratings; with ratings, the item-item model alone.
    listHead: (w) => testListHead(w, { warmWeights: [[0, 1, 0, 0, 0], ...Array.from({ length: 6 }, () => [1, 0, 0, 0, 0])], itemItem: ratedBy(userId).map((id) => [id, pulled, 1] as [string, string, number]) }),
  });
});

afterAll(async () => {
  await plain.close();
  await headed.close();
});

describe('the list head orders what serving returns', () => {
  it("orders a newcomer's list by the head (here popularity), new items after known ones, each item still reporting the network's score", async () => {
    const withHead = await headed.service.recommender.recommend({ userId: 'nobody-yet', k: 500 });
    const without = await plain.service.recommender.recommend({ userId: 'nobody-yet', k: 500 });
    const ids = withHead.items.map((i) => i.itemId);
    const known = ids.filter((id) => popularity.has(id));
    expect(known.length).toBeGreaterThan(10);
    expect(ids.slice(0, known.length)).toEqual(known);
    expect(known.map((id) => popularity.get(id))).toEqual([...known].map((id) => popularity.get(id)).sort((a, b) => (b ?? 0) - (a ?? 0)));
    // The test head rates as the network does (weight 1 on it), clipped to 1..5: the order changes, not the scores.
    const score = new Map(without.items.map((i) => [i.itemId, i.score]));
    expect(withHead.items.every((i) => Math.abs(i.score - (score.get(i.itemId) ?? Number.NaN)) < 1e-5)).toBe(true);
    expect(ids).not.toEqual(without.items.map((i) => i.itemId));
  });

  it("uses the user's rated items through the item-item model once they have some", async () => {
    const result = await headed.service.recommender.recommend({ userId, k: 10 });
    expect(result.path).toBe('adapted');
    expect(result.items[0].itemId).toBe(pulled);
    const cached = await headed.service.recommender.recommend({ userId, k: 10 });
    expect(cached.path).toBe('cached');
    expect(cached.items).toEqual(result.items);
  });
});
