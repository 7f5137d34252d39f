import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

import { registerUserContextCacheMetrics } from './user-context-cache-metrics.js';

describe('registerUserContextCacheMetrics', () => {
  it('exports the cache counters as they are at scrape time', async () => {
    const registry = new Registry();
    let stats = { hits: 7, misses: 3, bypassed: 1, invalidated: 2, size: 4, tracking: true };
    registerUserContextCacheMetrics(registry, { stats: () => stats });
    let text = await registry.metrics();
    expect(text).toContain('metarec_serving_user_context_cache_total{result="hit"} 7');
    expect(text).toContain('metarec_serving_user_context_cache_total{result="miss"} 3');
    expect(text).toContain('metarec_serving_user_context_cache_total{result="bypass"} 1');
    expect(text).toContain('metarec_serving_user_context_invalidations_total 2');
    expect(text).toContain('metarec_serving_user_context_cache_entries 4');
    expect(text).toContain('metarec_serving_user_context_tracking 1');
    stats = { ...stats, hits: 9, tracking: false };
    text = await registry.metrics();
    expect(text).toContain('metarec_serving_user_context_cache_total{result="hit"} 9');
    expect(text).toContain('metarec_serving_user_context_tracking 0');
  });
});
