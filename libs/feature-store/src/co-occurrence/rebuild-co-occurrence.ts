import type { Interaction } from '@metarec/schemas';
import type { Redis } from 'ioredis';

import { FeatureStoreError, invalidOption } from '../errors.js';
import { mergeOptions } from '@metarec/runtime';
import type { DateRange, OfflineReader } from '../offline/offline-reader.js';
import { offlineRecords } from '../offline/offline-table.js';
import { OnlineKeys } from '../online/online-keys.js';
import { countCoOccurrence, topFollowers, type CoOccurrenceCounts } from './count-co-occurrence.js';

/** Options of {@link rebuildCoOccurrence}. */
export interface RebuildCoOccurrenceOptions {
  /** Reader of the offline store (the source of truth: every accepted interaction exactly once). */
  readonly reader: OfflineReader;
  /** Redis of the online store; not closed here. */
  readonly redis: Redis;
  /** Interactions of these event dates (UTC, inclusive) are counted. */
  readonly range: DateRange;
  /** Same prefix as the online store's. @defaultValue `'metarec:fs:'` */
  readonly keyPrefix?: string;
  /** Latest distinct items of a user a new interaction pairs with. @defaultValue `5` */
  readonly window?: number;
  /** Followers kept per item (the top by count); serving reads far fewer. @defaultValue `200` */
  readonly maxPerItem?: number;
}

/** Defaults laid under {@link RebuildCoOccurrenceOptions}. */
export const DEFAULT_REBUILD_CO_OCCURRENCE_OPTIONS = { keyPrefix: 'metarec:fs:', window: 5, maxPerItem: 200 } as const;

/** What {@link rebuildCoOccurrence} did. */
export interface RebuildCoOccurrenceReport {
  readonly interactions: number;
  /** Items with at least one follower (keys written). */
  readonly items: number;
  /** Pairs written (after the per-item cap). */
  readonly pairs: number;
  /** Keys of items without followers in the range, removed. */
  readonly removed: number;
}

const ITEMS_PER_PIPELINE = 200;

/**
 * Recomputes item-to-item co-occurrence from the offline store and replaces the online store's
 * `co:<item>` sorted sets, each swapped in with RENAME (a reader sees the old or the new set,
 * never a half-built one); keys of items that no longer have followers are removed. Replaces the
 * per-event online counting (the bulk of the online write cost: ~4.5 ZINCRBY per event), at the
 * price of freshness: counts are as old as the last run. The result depends only on the offline
 * store, which holds every accepted interaction exactly once, so a rerun is idempotent. Run one
 * at a time (e.g. a CronJob), with the online store's `coOccurrenceWindow` at 0.
 * @throws FeatureStoreError `FS_OPTIONS_INVALID`, `FS_READ_FAILED`, `FS_REDIS_FAILED`.
 */
export async function rebuildCoOccurrence(options: RebuildCoOccurrenceOptions): Promise<RebuildCoOccurrenceReport> {
  const o = mergeOptions(DEFAULT_REBUILD_CO_OCCURRENCE_OPTIONS, options);
  for (const name of ['window', 'maxPerItem'] as const) {
    if (!Number.isSafeInteger(o[name]) || o[name] < 1) {
      throw invalidOption(name, `must be a positive integer, got ${o[name]}`);
    }
  }
  const table = await o.reader.readRange('interactions', o.range);
  const records = offlineRecords('interactions', table) as Interaction[];
  const counts = countCoOccurrence(records, o.window);
  const keys = new OnlineKeys(o.keyPrefix);
  try {
    const pairs = await publish(o.redis, keys, counts, o.maxPerItem);
    const removed = await removeStale(o.redis, keys, counts);
    return { interactions: records.length, items: counts.size, pairs, removed };
  } catch (error) {
    throw new FeatureStoreError('FS_REDIS_FAILED', 'co-occurrence rebuild failed writing the online store', { cause: error });
  }
}

async function publish(redis: Redis, keys: OnlineKeys, counts: CoOccurrenceCounts, maxPerItem: number): Promise<number> {
  let pairs = 0;
  const items = [...counts.keys()];
  for (let start = 0; start < items.length; start += ITEMS_PER_PIPELINE) {
    const pipeline = redis.pipeline();
    for (const item of items.slice(start, start + ITEMS_PER_PIPELINE)) {
      const top = topFollowers(counts.get(item) ?? new Map(), maxPerItem);
      const building = keys.coOccurrenceBuilding(item);
      pipeline.del(building);
      pipeline.zadd(building, ...top.flatMap(([other, count]) => [count, other]));
      pipeline.rename(building, keys.coOccurrence(item));
      pairs += top.length;
    }
    failOnError(await pipeline.exec());
  }
  return pairs;
}

async function removeStale(redis: Redis, keys: OnlineKeys, counts: CoOccurrenceCounts): Promise<number> {
  const prefix = keys.coOccurrence('');
  const stale: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${globEscape(prefix)}*`, 'COUNT', 1000);
    cursor = next;
    stale.push(...found.filter((key) => !counts.has(key.slice(prefix.length))));
  } while (cursor !== '0');
  for (let i = 0; i < stale.length; i += 1000) {
    await redis.unlink(...stale.slice(i, i + 1000));
  }
  return stale.length;
}

function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

function failOnError(results: [Error | null, unknown][] | null): void {
  for (const [error] of results ?? []) {
    if (error !== null) {
      throw error;
    }
  }
}
