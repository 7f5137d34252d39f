import type { Interaction } from '@metarec/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { reasonOf } from '../errors.js';
import { TtlLru } from '../cache/ttl-lru.js';
import { withTimeout, type FeatureReader, type ItemCount } from '../features/feature-reader.js';
import { CandidateGenerator, DEFAULT_CANDIDATE_GENERATOR_OPTIONS, type CandidateGeneratorOptions, type CandidateRequest, type Candidates } from './candidate-generator.js';
import { SharedList } from './shared-list.js';

/**
 * The generator as it was before the allocation work (two Sets per request, the co-occurrence
 * merge rebuilt every time), kept verbatim as the reference the new one must match exactly.
 */
class ReferenceGenerator {
  private readonly popular: SharedList<ItemCount>;
  private readonly newest: SharedList<string>;
  private readonly coLists: TtlLru<string, readonly ItemCount[]>;
  private newPopularMemo: { list: readonly ItemCount[]; key: object; ids: readonly string[] } | null = null;

  constructor(private readonly o: Required<Omit<CandidateGeneratorOptions, 'coOccurrenceMergeEntries'>>) {
    const reader = o.reader;
    this.popular = new SharedList((depth, nowMs) => reader.topPopular(depth, nowMs), 'popular items', o.popularTtlMs, o.timeoutMs);
    this.newest = new SharedList((depth) => reader.newestItems(depth), 'newest items', o.newestTtlMs, o.timeoutMs);
    this.coLists = new TtlLru(o.coOccurrenceCacheEntries, o.coOccurrenceTtlMs);
  }

  async generate(request: CandidateRequest): Promise<Candidates> {
    const size = request.size ?? this.o.size;
    const now = this.o.now();
    const degraded: string[] = [];
    const blocked = new Set<string>(request.exclude ?? []);
    for (const event of request.recent) {
      blocked.add(event.item_id);
    }
    const newQuota = Math.round(size * (request.newItemShare ?? this.o.newItemShare));
    const [coOccurring, popular, newest] = await Promise.all([
      this.coOccurring(request.recent, now, degraded),
      this.shared(this.popular, size * 4, now, degraded),
      newQuota === 0 ? [] : this.shared(this.newest, newQuota * 4, now, degraded),
    ]);
    const out: string[] = [];
    const taken = new Set<string>();
    const take = (id: string, limit: number): boolean => {
      if (out.length >= limit || blocked.has(id) || taken.has(id)) {
        return false;
      }
      taken.add(id);
      out.push(id);
      return true;
    };
    let newItems = 0;
    for (const id of newest) {
      newItems += take(id, newQuota) ? 1 : 0;
    }
    if (out.length < newQuota) {
      for (const id of this.newInPopular(popular, request)) {
        newItems += take(id, newQuota) ? 1 : 0;
      }
    }
    let co = 0;
    for (const item of coOccurring) {
      co += take(item.itemId, size) ? 1 : 0;
    }
    let pop = 0;
    for (const item of popular) {
      pop += take(item.itemId, size) ? 1 : 0;
    }
    return { itemIds: out, counts: { coOccurring: co, newItems, popular: pop }, degraded };
  }

  private newInPopular(popular: readonly ItemCount[], request: CandidateRequest): readonly string[] {
    const memo = this.newPopularMemo;
    if (memo !== null && memo.list === popular && request.isNewItemKey !== undefined && memo.key === request.isNewItemKey) {
      return memo.ids;
    }
    const ids = popular.filter((item) => request.isNewItem(item.itemId)).map((item) => item.itemId);
    if (request.isNewItemKey !== undefined) {
      this.newPopularMemo = { list: popular, key: request.isNewItemKey, ids };
    }
    return ids;
  }

  private async coOccurring(recent: readonly Interaction[], now: number, degraded: string[]): Promise<ItemCount[]> {
    const seeds: string[] = [];
    for (let i = 0; i < recent.length && seeds.length < this.o.coOccurrenceSeeds; i++) {
      if (!seeds.includes(recent[i].item_id)) {
        seeds.push(recent[i].item_id);
      }
    }
    if (seeds.length === 0) {
      return [];
    }
    const lists: (readonly ItemCount[])[] = [];
    const missing: string[] = [];
    for (const seed of seeds) {
      const list = this.coLists.fresh(seed, now);
      if (list === undefined) {
        missing.push(seed);
      } else {
        lists.push(list);
      }
    }
    if (missing.length > 0) {
      try {
        const read = await withTimeout(Promise.all(missing.map((seed) => this.o.reader.coOccurring(seed, this.o.coOccurrencePerSeed))), this.o.timeoutMs, 'co-occurrence');
        read.forEach((list, k) => {
          this.coLists.set(missing[k], list, now);
          lists.push(list);
        });
      } catch (error) {
        const stale = missing.map((seed) => this.coLists.stale(seed)).filter((list) => list !== undefined);
        lists.push(...stale);
        degraded.push(`co-occurrence unavailable (${reasonOf(error)}): ${stale.length} of ${missing.length} seeds from the last good copy`);
      }
    }
    if (lists.length === 1) {
      return [...lists[0]];
    }
    const sums = new Map<string, number>();
    for (const list of lists) {
      for (const { itemId, score } of list) {
        sums.set(itemId, (sums.get(itemId) ?? 0) + score);
      }
    }
    return [...sums].map(([itemId, score]) => ({ itemId, score })).sort((a, b) => b.score - a.score || (a.itemId < b.itemId ? -1 : 1));
  }

  private async shared<T>(list: SharedList<T>, depth: number, now: number, degraded: string[]): Promise<readonly T[]> {
    const result = await list.get(depth, now);
    if (result.failure !== undefined) {
      degraded.push(`${list === this.popular ? 'popular' : 'newest'} items unavailable (${reasonOf(result.failure)}): ${result.empty ? 'no copy yet' : 'last good copy used'}`);
    }
    return result.items;
  }
}

/** The store both generators read: each read returns a fresh array, as Redis does; failures are switched per source. */
interface Store {
  popular: ItemCount[];
  newest: string[];
  co: Map<string, ItemCount[]>;
  fail: { popular: boolean; newest: boolean; co: boolean };
}

function readerOf(store: Store): FeatureReader {
  const check = (down: boolean): void => {
    if (down) {
      throw new Error('redis down');
    }
  };
  return {
    userContext: async () => ({ recent: [], profile: null }),
    itemProfiles: async (ids) => ids.map(() => null),
    topPopular: async (k) => (check(store.fail.popular), store.popular.slice(0, k)),
    newestItems: async (limit) => (check(store.fail.newest), store.newest.slice(0, limit)),
    coOccurring: async (itemId, k) => (check(store.fail.co), (store.co.get(itemId) ?? []).slice(0, k)),
  };
}

const POOL = Array.from({ length: 24 }, (_, i) => `i${i}`);
const itemId = fc.constantFrom(...POOL);
// Small integers make ties; tenths make float sums depend on the summing order (0.1 + 0.2 + 0.3
// is not 0.3 + 0.2 + 0.1), so merging the seeds' lists in another order shows.
const score = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom(0.1, 0.2, 0.3, 0.6, 0.7), fc.double({ min: 0, max: 4, noNaN: true }));
const scoredList = fc.array(fc.record({ itemId, score }), { maxLength: 8 });
const storeData = fc.record({ popular: scoredList, newest: fc.uniqueArray(itemId, { maxLength: 10 }), co: fc.dictionary(itemId, scoredList) });
const NEW_SETS = [new Set(['i1', 'i5', 'i9', 'i13']), new Set(['i0', 'i2', 'i20'])];
const step = fc.record({
  recent: fc.array(itemId, { maxLength: 8 }),
  exclude: fc.option(fc.uniqueArray(itemId, { maxLength: 6 }), { nil: undefined }),
  size: fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined }),
  newItemShare: fc.option(fc.constantFrom(0, 0.1, 0.25, 0.5, 1), { nil: undefined }),
  newSet: fc.integer({ min: 0, max: NEW_SETS.length - 1 }),
  keyed: fc.boolean(),
  advanceMs: fc.constantFrom(0, 0, 100, 400, 900, 2_000),
  fail: fc.record({ popular: fc.boolean(), newest: fc.boolean(), co: fc.boolean() }),
  failing: fc.integer({ min: 0, max: 3 }),
  rewrite: fc.option(storeData, { freq: 4, nil: undefined }),
});

function event(item: string, t: number): Interaction {
  return { user_id: 'u', item_id: item, event_type: 'rating', value: 4, timestamp_ms: t, session_id: null, device: null };
}

describe('CandidateGenerator against the reference algorithm', () => {
  it('sums cached seed lists before the ones just read, as the reference does, so float ties break the same', async () => {
    // Seeds a, b, c with b and c cached: summed b, c, a gives x = (0.2 + 0.3) + 0.1 = 0.6, a tie
    // with w broken by id; summed in seed order x would be 0.6000000000000001 and come first.
    const store: Store = {
      popular: [],
      newest: [],
      co: new Map([
        ['a', [{ itemId: 'x', score: 0.1 }]],
        ['b', [{ itemId: 'x', score: 0.2 }]],
        ['c', [{ itemId: 'x', score: 0.3 }, { itemId: 'w', score: 0.6 }]],
      ]),
      fail: { popular: false, newest: false, co: false },
    };
    const common = { ...DEFAULT_CANDIDATE_GENERATOR_OPTIONS, newItemShare: 0, now: (): number => 0 };
    const reference = new ReferenceGenerator({ ...common, reader: readerOf(store) });
    const generator = new CandidateGenerator({ ...common, reader: readerOf(store) });
    const warm = { recent: [event('b', 2), event('c', 1)], isNewItem: (): boolean => false };
    const request = { recent: [event('a', 3), event('b', 2), event('c', 1)], isNewItem: (): boolean => false };
    await reference.generate(warm);
    await generator.generate(warm);
    const expected = await reference.generate(request);
    expect(expected.itemIds).toEqual(['w', 'x']);
    expect((await generator.generate(request)).itemIds).toEqual(expected.itemIds);
  });

  it('serves the memoised merge until a seed list is re-read, then the merge of the new lists', async () => {
    const store: Store = {
      popular: [],
      newest: [],
      co: new Map([
        ['a', [{ itemId: 'x', score: 1 }, { itemId: 'y', score: 1 }]],
        ['b', [{ itemId: 'y', score: 1 }]],
      ]),
      fail: { popular: false, newest: false, co: false },
    };
    let now = 0;
    const generator = new CandidateGenerator({ reader: readerOf(store), newItemShare: 0, coOccurrenceTtlMs: 1_000, now: () => now });
    const request = { recent: [event('a', 2), event('b', 1)], isNewItem: (): boolean => false };
    expect((await generator.generate(request)).itemIds).toEqual(['y', 'x']);
    store.co.set('b', [{ itemId: 'x', score: 5 }]);
    now = 999;
    expect((await generator.generate(request)).itemIds).toEqual(['y', 'x']);
    now = 1_000;
    expect((await generator.generate(request)).itemIds).toEqual(['x', 'y']);
  });

  it('returns the same ids, counts and reasons over random requests, store rewrites, expiries and failures', async () => {
    await fc.assert(
      fc.asyncProperty(storeData, fc.array(step, { minLength: 1, maxLength: 14 }), async (initial, steps) => {
        const store: Store = { popular: initial.popular, newest: initial.newest, co: new Map(Object.entries(initial.co)), fail: { popular: false, newest: false, co: false } };
        let now = 0;
        const common = { size: 10, coOccurrenceSeeds: 3, coOccurrencePerSeed: 5, coOccurrenceTtlMs: 1_000, coOccurrenceCacheEntries: 4, newItemShare: 0.2, popularTtlMs: 500, newestTtlMs: 700, timeoutMs: 1_000, now: (): number => now };
        const reference = new ReferenceGenerator({ ...common, reader: readerOf(store) });
        const generator = new CandidateGenerator({ ...common, reader: readerOf(store), coOccurrenceMergeEntries: 3 });
        for (const s of steps) {
          now += s.advanceMs;
          if (s.rewrite !== undefined) {
            store.popular = s.rewrite.popular;
            store.newest = s.rewrite.newest;
            store.co = new Map(Object.entries(s.rewrite.co));
          }
          // Failures on one step in four, so most steps read and cache.
          store.fail = s.failing === 0 ? s.fail : { popular: false, newest: false, co: false };
          const newSet = NEW_SETS[s.newSet];
          const request: CandidateRequest = {
            recent: s.recent.map((id, t) => event(id, 100 - t)),
            exclude: s.exclude === undefined ? undefined : new Set(s.exclude),
            isNewItem: (id) => newSet.has(id),
            isNewItemKey: s.keyed ? newSet : undefined,
            size: s.size,
            newItemShare: s.newItemShare,
          };
          const expected = await reference.generate(request);
          const actual = await generator.generate(request);
          expect(actual.itemIds).toEqual(expected.itemIds);
          expect(actual.counts).toEqual(expected.counts);
          expect(actual.degraded).toEqual(expected.degraded);
        }
      }),
      { numRuns: 300 },
    );
  });
});
