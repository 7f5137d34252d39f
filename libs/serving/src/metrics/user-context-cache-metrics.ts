import { Counter, Gauge, type Registry } from 'prom-client';

/** What the metrics read from a user-context cache (`UserContextNearCache` of `@metarec/feature-store`). */
export interface UserContextCacheStatsSource {
  stats(): { readonly hits: number; readonly misses: number; readonly bypassed: number; readonly invalidated: number; readonly size: number; readonly tracking: boolean };
}

/**
 * Exports a user-context cache's counters, read at scrape time: lookups by result (hit, miss,
 * bypass while tracking is off), invalidations, entries, and whether tracking is on.
 */
export function registerUserContextCacheMetrics(registry: Registry, cache: UserContextCacheStatsSource): void {
  const registers = [registry];
  new Counter({
    name: 'metarec_serving_user_context_cache_total',
    help: 'User-context reads: answered in process (hit), from Redis and kept (miss), from Redis while tracking is off (bypass)',
    labelNames: ['result'],
    registers,
    collect(): void {
      const stats = cache.stats();
      this.reset();
      this.inc({ result: 'hit' }, stats.hits);
      this.inc({ result: 'miss' }, stats.misses);
      this.inc({ result: 'bypass' }, stats.bypassed);
    },
  });
  new Counter({
    name: 'metarec_serving_user_context_invalidations_total',
    help: 'Kept user contexts dropped because Redis reported a change of their keys',
    registers,
    collect(): void {
      this.reset();
      this.inc(cache.stats().invalidated);
    },
  });
  new Gauge({
    name: 'metarec_serving_user_context_cache_entries',
    help: 'User contexts kept in process',
    registers,
    collect(): void {
      this.set(cache.stats().size);
    },
  });
  new Gauge({
    name: 'metarec_serving_user_context_tracking',
    help: '1 while Redis client tracking is on (contexts are kept), 0 while every read goes to Redis',
    registers,
    collect(): void {
      this.set(cache.stats().tracking ? 1 : 0);
    },
  });
}
