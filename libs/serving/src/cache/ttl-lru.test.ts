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

  it('hands every value that leaves to onEvict: bound, delete, retain, clear and a replacement by another value', () => {
    const left: string[] = [];
    const cache = new TtlLru<string, { id: string }>(2, 1_000, (value, key) => left.push(`${key}:${value.id}`));
    const a = { id: 'a1' };
    cache.set('a', a, 0);
    cache.set('a', a, 1);
    expect(left).toEqual([]);
    cache.set('a', { id: 'a2' }, 2);
    cache.set('b', { id: 'b1' }, 3);
    cache.set('c', { id: 'c1' }, 4);
    expect(left).toEqual(['a:a1', 'a:a2']);
    cache.delete('b');
    cache.delete('missing');
    cache.set('d', { id: 'd1' }, 5);
    cache.retain((value) => value.id !== 'c1');
    expect(left).toEqual(['a:a1', 'a:a2', 'b:b1', 'c:c1']);
    cache.clear();
    expect(left).toEqual(['a:a1', 'a:a2', 'b:b1', 'c:c1', 'd:d1']);
    expect(cache.size).toBe(0);
  });
});


describe('TtlLru bound', () => {
  it('refuses a bound below one entry', () => {
    expect(() => new TtlLru<string, number>(0, 1_000)).toThrow(expect.objectContaining({ code: 'SERVING_OPTIONS_INVALID' }));
  });
});
