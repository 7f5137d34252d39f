import { describe, expect, it } from 'vitest';

import { TtlLru } from './ttl-lru.js';

describe('TtlLru', () => {
  it('answers fresh values within the TTL and keeps expired ones as the last good copy', () => {
    const cache = new TtlLru<string, number>(10, 100);
    cache.set('a', 1, 0);
    expect(cache.fresh('a', 99)).toBe(1);
    expect(cache.fresh('a', 100)).toBeUndefined();
    expect(cache.stale('a')).toBe(1);
  });

  it('evicts the least recently used beyond its bound', () => {
    const cache = new TtlLru<string, number>(2, 1_000);
    cache.set('a', 1, 0);
    cache.set('b', 2, 0);
    cache.fresh('a', 1);
    cache.set('c', 3, 1);
    expect(cache.size).toBe(2);
    expect(cache.stale('b')).toBeUndefined();
    expect(cache.stale('a')).toBe(1);
  });
});
