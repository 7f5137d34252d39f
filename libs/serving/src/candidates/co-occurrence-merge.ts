import { TtlLru } from '../cache/ttl-lru.js';
import type { ItemCount } from '../features/feature-reader.js';
import { ScoreSums } from './score-sums.js';

/** A seed's co-occurrence list as cached, with a serial unique to the read that produced it. */
export interface SeedList {
  readonly seed: string;
  readonly items: readonly ItemCount[];
  /**
   * Unique per stored read: a re-read (TTL, refresh) gets a new serial, so equal serials mean the
   * very same list. A number instead of the array itself keeps the memo from pinning lists the
   * seed cache has already replaced or evicted.
   */
  readonly serial: number;
}

interface Merged {
  readonly serials: readonly number[];
  readonly ids: readonly string[];
}

const NO_IDS: readonly string[] = Object.freeze([]);
/**
 * Ids the merge's long-lived sums storage remembers across merges (co-occurring ids, so at most
 * the catalog; ~10 MB of map at the bound) before it starts afresh.
 */
const SUMS_MAX_IDS = 200_000;

/**
 * Item ids co-occurring with a user's seeds, highest summed score first (ties by id), memoised
 * per seed tuple. Users come back with the same latest items, so the merge (a map of sums, a
 * sort) was ~170 MB of garbage per 5,000 requests when rebuilt every time (a miss now sums into
 * long-lived {@link ScoreSums} and allocates ~8 KB at 250 ids); a memo entry stays
 * valid exactly as long as every seed's list is the read it was merged from (same serials).
 * Only ids are kept: candidate generation uses the order, not the scores.
 */
export class CoOccurrenceMerge {
  private readonly memo: TtlLru<string, Merged>;
  private readonly sums = new ScoreSums(SUMS_MAX_IDS);

  /** @param maxEntries seed tuples remembered (LRU beyond). */
  constructor(maxEntries: number) {
    // Validity is decided by the serials alone, so entries never expire by age.
    this.memo = new TtlLru(maxEntries, Number.POSITIVE_INFINITY);
  }

  /** Entries held. */
  get size(): number {
    return this.memo.size;
  }

  /**
   * The merged ids of `lists`, in the order they are summed (which fixes floating-point sums, so
   * it is part of the key). A single list is returned in its own order, unsorted. Read-only:
   * the same array is handed to every caller until a source list changes.
   */
  ids(lists: readonly SeedList[]): readonly string[] {
    if (lists.length === 0) {
      return NO_IDS;
    }
    const key = memoKey(lists);
    const hit = this.memo.fresh(key, 0);
    if (hit !== undefined && sameSerials(hit.serials, lists)) {
      return hit.ids;
    }
    const ids = lists.length === 1 ? lists[0].items.map((item) => item.itemId) : mergeIds(lists, this.sums);
    this.memo.set(key, { serials: lists.map((list) => list.serial), ids }, 0);
    return ids;
  }

  clear(): void {
    this.memo.clear();
  }
}

/** Seeds joined by NUL; a collision (an id holding NUL) can only cause a miss, as serials are compared. */
function memoKey(lists: readonly SeedList[]): string {
  let key = lists[0].seed;
  for (let i = 1; i < lists.length; i++) {
    key += '\u0000' + lists[i].seed;
  }
  return key;
}

function sameSerials(serials: readonly number[], lists: readonly SeedList[]): boolean {
  if (serials.length !== lists.length) {
    return false;
  }
  for (let i = 0; i < serials.length; i++) {
    if (serials[i] !== lists[i].serial) {
      return false;
    }
  }
  return true;
}

/** Scores summed per item over `lists` in order into `sums`; ids by descending sum, ties by ascending id. */
function mergeIds(lists: readonly SeedList[], sums: ScoreSums): string[] {
  sums.begin();
  for (const list of lists) {
    for (const { itemId, score } of list.items) {
      sums.add(itemId, score);
    }
  }
  // Sorting slots in first-seen order (the order a Map of sums would iterate in): the same
  // comparisons as sorting {itemId, score} objects, without building them.
  const order = new Array<number>(sums.count);
  for (let i = 0; i < order.length; i++) {
    order[i] = i;
  }
  order.sort((i, j) => sums.sum(j) - sums.sum(i) || (sums.id(i) < sums.id(j) ? -1 : 1));
  return order.map((i) => sums.id(i));
}
