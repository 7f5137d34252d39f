// Cross-backend parity of what users are served: the same bundle, store and requests give the same
// top-k on cpu, wasm and tensorflow (the last where its addon is built; METAREC_REQUIRE_TENSORFLOW=1
// makes it required), through the whole ranking path (candidates, adapt, score, top-k). cpu is the
// reference. Rankings may differ only among near-ties: float32 summation orders differ per backend,
// so two items whose scores are within the tolerance may swap (or trade places at the cut-off).
import { selectBackend, type BackendName } from '@metarec/meta-learning';
import { probeTensorflowBackend } from '@metarec/meta-learning/testing';
import { describe, expect, it } from 'vitest';

import { buildTestServing } from '../testing/test-serving.js';
import { buildTestWorld } from '../testing/test-world.js';
import type { ScoredItem } from './rank.js';

/**
 * Score tolerance, absolute (scores are ratings, here ≈ 3.5). Measured worst |Δscore| against cpu over
 * these requests (the default model size: 32-wide embeddings, 64-64 MLP): 4.5e-6 on wasm and on
 * tensorflow, 2.4e-7 for most users. The bound leaves ~20× for other CPUs' kernels and stays far below
 * the spread of a top-30 (0.04..0.12, checked > 100×); these top-30s hold gaps down to 7e-7, near-ties
 * that may legitimately swap.
 */
const SCORE_TOL = 1e-4;
const K = 30;

/**
 * Where `other` differs from `reference` beyond near-ties (empty = the same ranking):
 * an item both lists hold must score within `tol` on both, and may sit at another rank only if every item
 * the reference ranks between its two places scores within `tol` of it; an item only one list has
 * must score within `tol` of the other list's last (k-th) score.
 */
function rankingDisagreements(reference: readonly ScoredItem[], other: readonly ScoredItem[], tol: number): string[] {
  const out: string[] = [];
  if (reference.length !== other.length) {
    return [`lengths ${reference.length} vs ${other.length}`];
  }
  const rankIn = (list: readonly ScoredItem[]): Map<string, number> => new Map(list.map((item, i) => [item.itemId, i]));
  const refRank = rankIn(reference);
  const otherRank = rankIn(other);
  const last = reference.length - 1;
  other.forEach((item, j) => {
    const i = refRank.get(item.itemId);
    if (i === undefined) {
      if (Math.abs(item.score - reference[last].score) > tol) {
        out.push(`${item.itemId} (score ${item.score}) is only in the other top-k, above the reference cut-off ${reference[last].score}`);
      }
      return;
    }
    const ref = reference[i];
    if (Math.abs(item.score - ref.score) > tol) {
      out.push(`${item.itemId}: score ${item.score} vs reference ${ref.score}`);
    }
    for (let m = Math.min(i, j); m <= Math.max(i, j); m++) {
      if (Math.abs(reference[m].score - ref.score) > tol) {
        out.push(`${item.itemId}: rank ${j} vs reference ${i}, past ${reference[m].itemId} (${reference[m].score} vs ${ref.score})`);
        break;
      }
    }
  });
  for (const item of reference) {
    if (!otherRank.has(item.itemId) && Math.abs(item.score - other[last].score) > tol) {
      out.push(`${item.itemId} (score ${item.score}) is missing from the other top-k, whose cut-off is ${other[last].score}`);
    }
  }
  return out;
}

describe('rankingDisagreements', () => {
  const ranked = (...scores: number[]): ScoredItem[] => scores.map((score, i) => ({ itemId: `i${i}`, score }));
  const swap = (list: ScoredItem[], a: number, b: number): ScoredItem[] => list.map((item, i) => (i === a ? list[b] : i === b ? list[a] : item));

  it('accepts the same ranking, a swap of near-ties and a near-tie traded at the cut-off', () => {
    const reference = ranked(4.2, 4.1, 3.90001, 3.9, 3.5);
    expect(rankingDisagreements(reference, reference, 1e-4)).toEqual([]);
    expect(rankingDisagreements(reference, swap(reference, 2, 3), 1e-4)).toEqual([]);
    const traded = [...reference.slice(0, 4), { itemId: 'x', score: 3.50003 }];
    expect(rankingDisagreements(reference, traded, 1e-4)).toEqual([]);
  });

  it('flags a swap of clearly different scores, a score that moved, and an item that entered from below the cut-off', () => {
    const reference = ranked(4.2, 4.1, 3.9, 3.5);
    expect(rankingDisagreements(reference, swap(reference, 0, 1), 1e-4)).toHaveLength(2);
    expect(rankingDisagreements(reference, [reference[0], reference[1], { itemId: 'i2', score: 3.91 }, reference[3]], 1e-4)).toEqual(['i2: score 3.91 vs reference 3.9']);
    const entered = [...reference.slice(0, 3), { itemId: 'x', score: 3.6 }];
    expect(rankingDisagreements(reference, entered, 1e-4)).toEqual([
      'x (score 3.6) is only in the other top-k, above the reference cut-off 3.5',
      'i3 (score 3.5) is missing from the other top-k, whose cut-off is 3.6',
    ]);
  });
});

const tensorflow = await probeTensorflowBackend();
const BACKENDS: readonly BackendName[] = ['cpu', 'wasm', ...(tensorflow.available ? (['tensorflow'] as const) : [])];

if (!tensorflow.available) {
  describe('served rankings on tensorflow', () => {
    it.skip(`skipped: ${tensorflow.detail}`, () => undefined);
  });
}

interface Served {
  readonly path: string;
  readonly items: readonly ScoredItem[];
}

describe(`served rankings (${BACKENDS.join(', ')}; cpu is the reference)`, () => {
  const world = buildTestWorld();
  const users = [...world.warmUserIds.slice(0, 6), 'cold-user-a', 'cold-user-b'];

  /** The top-K of every user, from a service built (bundle loaded, tensors created) on `backend`. */
  async function servedOn(backend: BackendName): Promise<Served[]> {
    await selectBackend({ preferred: backend });
    const t = await buildTestServing({ world });
    try {
      const served: Served[] = [];
      for (const userId of users) {
        const r = await t.service.recommender.recommend({ userId, k: K });
        served.push({ path: r.path, items: r.items });
      }
      return served;
    } finally {
      await t.close();
    }
  }

  it(`give the same top-${K} for adapted and cold users, up to near-ties (|Δscore| ≤ ${SCORE_TOL})`, async () => {
    const results = new Map<BackendName, Served[]>();
    for (const backend of BACKENDS) {
      results.set(backend, await servedOn(backend));
    }
    const cpu = results.get('cpu') ?? [];
    expect(cpu.map((s) => s.path)).toEqual([...Array<string>(6).fill('adapted'), 'cold', 'cold']);
    for (const served of cpu) {
      expect(served.items).toHaveLength(K);
      // Not trivially equal: the top-k spans many tolerances, so an order error would show.
      expect(served.items[0].score - served.items[K - 1].score).toBeGreaterThan(100 * SCORE_TOL);
    }
    for (const [backend, list] of results) {
      list.forEach((served, u) => {
        expect(served.path, `${backend} ${users[u]}`).toBe(cpu[u].path);
        expect(rankingDisagreements(cpu[u].items, served.items, SCORE_TOL), `${backend} ${users[u]}`).toEqual([]);
      });
    }
  });
});
