import { describe, expect, it } from 'vitest';

import { PromiseCache } from './promise-cache.js';

describe('PromiseCache', () => {
  it('shares one load between callers of a key and drops the least recently used beyond its size', async () => {
    const cache = new PromiseCache<string>(2);
    const loads: string[] = [];
    const load = (key: string) => () => {
      loads.push(key);
      return Promise.resolve(`v-${key}`);
    };
    const [a1, a2] = [cache.get('a', load('a')), cache.get('a', load('a'))];
    expect(a1).toBe(a2);
    await cache.get('b', load('b'));
    await cache.get('a', load('a'));
    await cache.get('c', load('c'));
    await cache.get('a', load('a'));
    await cache.get('b', load('b'));
    expect(loads).toEqual(['a', 'b', 'c', 'b']);
    await expect(a1).resolves.toBe('v-a');
  });

  it('loads again after a failed load', async () => {
    const cache = new PromiseCache<number>(4);
    let calls = 0;
    const flaky = (): Promise<number> => (++calls === 1 ? Promise.reject(new Error('down')) : Promise.resolve(calls));
    await expect(cache.get('k', flaky)).rejects.toThrow('down');
    await expect(cache.get('k', flaky)).resolves.toBe(2);
    await expect(cache.get('k', flaky)).resolves.toBe(2);
  });
});
