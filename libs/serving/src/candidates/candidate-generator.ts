import type { Interaction } from '@metarec/schemas';

import { invalidOption, reasonOf, requireInt } from '../errors.js';
import { TtlLru } from '../cache/ttl-lru.js';
import { withTimeout, type FeatureReader, type ItemCount } from '../features/feature-reader.js';
import { mergeOptions } from '@metarec/runtime';
import { CoOccurrenceMerge, type SeedList } from './co-occurrence-merge.js';
import { SeenStamps } from './seen-stamps.js';
import { SharedList } from './shared-list.js';
import { takeUnseenIds, takeUnseenItems } from './take-unseen.js';

/** Options of {@link CandidateGenerator}. */
export interface CandidateGeneratorOptions {
  readonly reader: FeatureReader;
  /** Candidates per request (the ranking's input). @defaultValue 500 */
  readonly size?: number;
  /** The user's latest distinct items used as co-occurrence seeds. @defaultValue 5 */
  readonly coOccurrenceSeeds?: number;
  /** Co-occurring items read per seed. @defaultValue 50 */
  readonly coOccurrencePerSeed?: number;
  /**
   * A seed's co-occurrence list is kept in process this long. The lists are rebuilt by a periodic
   * job over the offline store (per-event counting is off by default), so a minute of staleness
   * loses nothing and saves one Redis read per seed per request. @defaultValue 60_000
   */
  readonly coOccurrenceTtlMs?: number;
  /** Seeds whose lists are kept in process (LRU beyond; ~50 ids each). @defaultValue 50_000 */
  readonly coOccurrenceCacheEntries?: number;
  /**
   * Merged co-occurrence lists kept per seed tuple (LRU beyond), reused while every seed's list is
   * the same read: a returning user's merge costs nothing. Up to ~2.5 KB each at 5 seeds of 50
   * ids (the merged id array and the key; the id strings are the seed lists'), ~12 MB at the
   * default; an entry whose seed lists were since re-read keeps the old read's id strings until
   * it is evicted (~10 KB more at 40-byte ids), so ~60 MB at worst. @defaultValue 5_000
   */
  readonly coOccurrenceMergeEntries?: number;
  /**
   * Share of `size` reserved for new items, so they can be shown before they have any history:
   * filled first from the store's newest items (by first profile seen), then from popular items
   * the model has no id embedding for. 0.1 (50 of 500) keeps exploration small next to the
   * personalised and popular sources; the ranking still decides whether they reach the top k.
   * @defaultValue 0.1
   */
  readonly newItemShare?: number;
  /** The popularity list is shared by all requests and re-read after this long. @defaultValue 2_000 */
  readonly popularTtlMs?: number;
  /** The newest-items list is shared by all requests and re-read after this long. @defaultValue 5_000 */
  readonly newestTtlMs?: number;
  /** A store read slower than this counts as failed. @defaultValue 50 */
  readonly timeoutMs?: number;
  /** Clock, epoch ms. @defaultValue `Date.now` */
  readonly now?: () => number;
}

/** Defaults laid under {@link CandidateGeneratorOptions}. */
export const DEFAULT_CANDIDATE_GENERATOR_OPTIONS: Required<Omit<CandidateGeneratorOptions, 'reader' | 'now'>> = {
  size: 500,
  coOccurrenceSeeds: 5,
  coOccurrencePerSeed: 50,
  coOccurrenceTtlMs: 60_000,
  coOccurrenceCacheEntries: 50_000,
  coOccurrenceMergeEntries: 5_000,
  newItemShare: 0.1,
  popularTtlMs: 2_000,
  newestTtlMs: 5_000,
  timeoutMs: 50,
};

/** The popularity list is read this many times `size` deep. */
const POPULAR_DEPTH_FACTOR = 4;
/** The newest list is read this many times the new-item quota deep (some are seen or excluded). */
const NEWEST_DEPTH_FACTOR = 4;
/**
 * Ids the de-duplication map keeps across requests before it starts afresh (~10 MB of map, plus
 * client id strings). It holds the ids the lists keep returning (popular, newest, co-occurring:
 * a few thousand) plus whatever clients send in `exclude`, which this bound keeps from growing
 * without end.
 */
const SEEN_IDS_MAX = 200_000;

/** One request's input to candidate generation. */
export interface CandidateRequest {
  /** The user's interactions, newest first (seeds and the seen set). */
  readonly recent: readonly Interaction[];
  /** Item ids never to return (seen elsewhere, already on screen). */
  readonly exclude?: ReadonlySet<string>;
  /**
   * True for an item the serving model has no id embedding for. Called while the request's
   * de-duplication pass is open: it must not call back into the generator.
   */
  readonly isNewItem: (itemId: string) => boolean;
  /**
   * Identity of `isNewItem`'s answers (the serving model): the popular items it marks new are
   * then found once per shared popular list instead of once per request.
   */
  readonly isNewItemKey?: object;
  /** Override of `size` for this request. */
  readonly size?: number;
  /** Override of `newItemShare` for this request (onboarding asks about known items only: 0). */
  readonly newItemShare?: number;
}

/** The lists one request picks from (each read-only, shared with other requests). */
interface Sources {
  readonly coOccurring: readonly string[];
  readonly popular: readonly ItemCount[];
  readonly newest: readonly string[];
}

/** Candidate ids with where they came from. */
export interface Candidates {
  readonly itemIds: readonly string[];
  readonly counts: { readonly coOccurring: number; readonly newItems: number; readonly popular: number };
  /** Reasons a source was skipped (store unavailable); empty when all answered. */
  readonly degraded: readonly string[];
}

/**
 * Candidates from the online store: a reserved share of new items (the store's newest, then
 * popular items unknown to the model), items co-occurring with the user's latest ones, then the
 * popular items of the window; everything the user interacted with or the caller excluded is
 * removed. The popular and newest lists are shared by all requests (short TTL) and co-occurrence
 * lists are kept per seed, so a warm request reads nothing from Redis here. A failing source is
 * skipped with a reason; shared lists and cached seeds fall back to their last good copy.
 * A warm request allocates little beyond its output (scavenges set the serving p99): no promise
 * chain, one long-lived de-duplication map, the co-occurrence merge memoised per seed tuple.
 */
export class CandidateGenerator {
  private readonly o: typeof DEFAULT_CANDIDATE_GENERATOR_OPTIONS & { reader: FeatureReader; now: () => number };
  private readonly popular: SharedList<ItemCount>;
  private readonly newest: SharedList<string>;
  private readonly coLists: TtlLru<string, SeedList>;
  private readonly merged: CoOccurrenceMerge;
  /**
   * One de-duplication map for all requests: only `pick` uses it, synchronously from `begin()` to
   * its return (after `generate`'s one `await`, if any), so two requests never interleave on it.
   */
  private readonly seen = new SeenStamps(SEEN_IDS_MAX);
  /** Serial of the next co-occurrence list read (see {@link SeedList.serial}). */
  private nextSerial = 0;
  private newPopularMemo: { list: readonly ItemCount[]; key: object; ids: readonly string[] } | null = null;

  /** @throws ServingError `SERVING_OPTIONS_INVALID`. */
  constructor(options: CandidateGeneratorOptions) {
    this.o = mergeOptions({ ...DEFAULT_CANDIDATE_GENERATOR_OPTIONS, now: Date.now }, options);
    requireInt('size', this.o.size, 1, 100_000);
    requireInt('coOccurrenceSeeds', this.o.coOccurrenceSeeds, 0, 100);
    requireInt('coOccurrencePerSeed', this.o.coOccurrencePerSeed, 1, 10_000);
    requireInt('coOccurrenceTtlMs', this.o.coOccurrenceTtlMs, 0);
    requireInt('coOccurrenceCacheEntries', this.o.coOccurrenceCacheEntries, 1);
    requireInt('coOccurrenceMergeEntries', this.o.coOccurrenceMergeEntries, 1);
    requireInt('popularTtlMs', this.o.popularTtlMs, 0);
    requireInt('newestTtlMs', this.o.newestTtlMs, 0);
    requireInt('timeoutMs', this.o.timeoutMs, 1);
    if (!(this.o.newItemShare >= 0 && this.o.newItemShare <= 1)) {
      throw invalidOption('newItemShare', `must be within [0, 1], got ${this.o.newItemShare}`);
    }
    const reader = this.o.reader;
    this.popular = new SharedList((depth, nowMs) => reader.topPopular(depth, nowMs), 'popular items', this.o.popularTtlMs, this.o.timeoutMs);
    this.newest = new SharedList((depth) => reader.newestItems(depth), 'newest items', this.o.newestTtlMs, this.o.timeoutMs);
    this.coLists = new TtlLru(this.o.coOccurrenceCacheEntries, this.o.coOccurrenceTtlMs);
    this.merged = new CoOccurrenceMerge(this.o.coOccurrenceMergeEntries);
  }

  /** Candidates for one request, at most `size`. */
  async generate(request: CandidateRequest): Promise<Candidates> {
    const size = request.size ?? this.o.size;
    const now = this.o.now();
    const newQuota = Math.round(size * (request.newItemShare ?? this.o.newItemShare));
    const popularDepth = size * POPULAR_DEPTH_FACTOR;
    const newestDepth = newQuota * NEWEST_DEPTH_FACTOR;
    const seedLists = this.heldSeedLists(latestDistinctItems(request.recent, this.o.coOccurrenceSeeds), now);
    // Warm path: every source is held in process, so no promise chain (~2 KB of garbage a request).
    const popular = this.popular.peek(popularDepth, now);
    const newest = newQuota === 0 ? NO_IDS : this.newest.peek(newestDepth, now);
    if (popular !== undefined && newest !== undefined && seedLists.missing.length === 0) {
      return this.pick(request, size, newQuota, { coOccurring: this.merged.ids(seedLists.held), popular, newest }, []);
    }
    const degraded: string[] = [];
    const [coOccurring, popularRead, newestRead] = await Promise.all([
      this.coOccurring(seedLists, now, degraded),
      this.shared(this.popular, popularDepth, now, degraded),
      newQuota === 0 ? NO_IDS : this.shared(this.newest, newestDepth, now, degraded),
    ]);
    return this.pick(request, size, newQuota, { coOccurring, popular: popularRead, newest: newestRead }, degraded);
  }

  /**
   * Takes the new-item quota (newest, then popular items new to the model), then co-occurring,
   * then popular items, skipping the seen and excluded. Synchronous from `seen.begin()` to the
   * return, so the shared `seen` map belongs to this request alone.
   */
  private pick(request: CandidateRequest, size: number, newQuota: number, sources: Sources, degraded: string[]): Candidates {
    const { coOccurring, popular, newest } = sources;
    const seen = this.seen;
    seen.begin();
    if (request.exclude !== undefined) {
      for (const id of request.exclude) {
        seen.mark(id);
      }
    }
    for (const event of request.recent) {
      seen.mark(event.item_id);
    }
    // Sized once (an upper bound, trimmed below) instead of grown by push: the output is the
    // only sizeable allocation left on the warm path.
    const out = new Array<string>(Math.min(size, newQuota + coOccurring.length + popular.length));
    let n = takeUnseenIds(out, 0, newest, newQuota, seen);
    if (n < newQuota) {
      n = takeUnseenIds(out, n, this.newInPopular(popular, request), newQuota, seen);
    }
    const newItems = n;
    n = takeUnseenIds(out, n, coOccurring, size, seen);
    const co = n - newItems;
    n = takeUnseenItems(out, n, popular, size, seen);
    out.length = n;
    return { itemIds: out, counts: { coOccurring: co, newItems, popular: n - newItems - co }, degraded };
  }

  /** Popular items `isNewItem` marks new, in popularity order; memoised per popular list and `isNewItemKey`. */
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

  /** Forgets the cached co-occurrence lists (after a rebuild, in tests). */
  clearCoOccurrence(): void {
    this.coLists.clear();
    this.merged.clear();
  }

  /**
   * The seeds' co-occurrence lists held and fresh, and the seeds without one. Cached lists come
   * first, then (in {@link coOccurring}) the ones read now, in seed order within each: the order
   * the counts are summed in, kept as it always was.
   */
  private heldSeedLists(seeds: readonly string[], now: number): { held: SeedList[]; missing: string[] } {
    const held: SeedList[] = [];
    const missing: string[] = [];
    for (const seed of seeds) {
      const list = this.coLists.fresh(seed, now);
      if (list === undefined) {
        missing.push(seed);
      } else {
        held.push(list);
      }
    }
    return { held, missing };
  }

  /** Items co-occurring with the seed items, by summed count (read-only, memoised); reads the missing seeds' lists. */
  private async coOccurring(seedLists: { held: SeedList[]; missing: string[] }, now: number, degraded: string[]): Promise<readonly string[]> {
    const { held: lists, missing } = seedLists;
    if (missing.length > 0) {
      try {
        const read = await withTimeout(
          Promise.all(missing.map((seed) => this.o.reader.coOccurring(seed, this.o.coOccurrencePerSeed))),
          this.o.timeoutMs,
          'co-occurrence',
        );
        read.forEach((items, k) => {
          const list: SeedList = { seed: missing[k], items, serial: this.nextSerial++ };
          this.coLists.set(list.seed, list, now);
          lists.push(list);
        });
      } catch (error) {
        const stale = missing.map((seed) => this.coLists.stale(seed)).filter((list) => list !== undefined);
        lists.push(...stale);
        degraded.push(`co-occurrence unavailable (${reasonOf(error)}): ${stale.length} of ${missing.length} seeds from the last good copy`);
      }
    }
    return this.merged.ids(lists);
  }

  private async shared<T>(list: SharedList<T>, depth: number, now: number, degraded: string[]): Promise<readonly T[]> {
    const result = await list.get(depth, now);
    if (result.failure !== undefined) {
      degraded.push(`${list === this.popular ? 'popular' : 'newest'} items unavailable (${reasonOf(result.failure)}): ${result.empty ? 'no copy yet' : 'last good copy used'}`);
    }
    return result.items;
  }
}

const NO_IDS: readonly string[] = Object.freeze([]);

/** The first `n` distinct item ids of `recent` (newest first). */
function latestDistinctItems(recent: readonly Interaction[], n: number): string[] {
  const seeds: string[] = [];
  for (let i = 0; i < recent.length && seeds.length < n; i++) {
    const id = recent[i].item_id;
    if (!seeds.includes(id)) {
      seeds.push(id);
    }
  }
  return seeds;
}
