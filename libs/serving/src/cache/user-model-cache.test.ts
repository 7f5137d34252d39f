import type { AdaptedUser } from '@metarec/meta-learning';
import { describe, expect, it } from 'vitest';

import { UserModelCache } from './user-model-cache.js';

function fakeUser(): AdaptedUser & { disposed: number } {
  const user = { base: {} as AdaptedUser['base'], overrides: {}, tableRows: null, disposed: 0, dispose: (): void => void (user.disposed += 1) };
  return user;
}

describe('UserModelCache', () => {
  it('hits only for the same model version and interaction state', () => {
    const cache = new UserModelCache();
    const user = fakeUser();
    cache.set('u', 1, 's1', user);
    expect(cache.get('u', 1, 's1')).toBe(user);
    expect(cache.get('u', 1, 's2')).toBeNull();
    expect(user.disposed).toBe(1);
    expect(cache.size).toBe(0);
  });

  it('expires entries after the TTL and disposes them', () => {
    let now = 0;
    const cache = new UserModelCache({ ttlMs: 100, now: () => now });
    const user = fakeUser();
    cache.set('u', 1, 's', user);
    now = 99;
    expect(cache.get('u', 1, 's')).toBe(user);
    now = 100;
    expect(cache.get('u', 1, 's')).toBeNull();
    expect(user.disposed).toBe(1);
  });

  it('evicts the least recently used beyond maxEntries', () => {
    const cache = new UserModelCache({ maxEntries: 2 });
    const [a, b, c] = [fakeUser(), fakeUser(), fakeUser()];
    cache.set('a', 1, 's', a);
    cache.set('b', 1, 's', b);
    cache.get('a', 1, 's');
    cache.set('c', 1, 's', c);
    expect(b.disposed).toBe(1);
    expect(cache.get('a', 1, 's')).toBe(a);
    expect(cache.get('c', 1, 's')).toBe(c);
  });

  it('invalidate, retainVersion and clear dispose what they drop', () => {
    const cache = new UserModelCache();
    const [a, b, c] = [fakeUser(), fakeUser(), fakeUser()];
    cache.set('a', 1, 's', a);
    cache.set('b', 2, 's', b);
    cache.set('c', 2, 's', c);
    cache.invalidate('c');
    cache.retainVersion(2);
    expect([a.disposed, b.disposed, c.disposed]).toEqual([1, 0, 1]);
    cache.clear();
    expect(b.disposed).toBe(1);
  });

  it('disposes the entry a new one replaces, and peeks without touching the LRU order', () => {
    let now = 0;
    const cache = new UserModelCache({ maxEntries: 2, ttlMs: 100, now: () => now });
    const [a, a2, b, c] = [fakeUser(), fakeUser(), fakeUser(), fakeUser()];
    cache.set('a', 1, 's', a);
    cache.set('a', 1, 's2', a2);
    expect(a.disposed).toBe(1);
    cache.set('b', 1, 's', b);
    expect(cache.peek('a', 1)).toBe(a2);
    cache.set('c', 1, 's', c);
    expect([a2.disposed, b.disposed]).toEqual([1, 0]);
    now = 100;
    expect(cache.peek('b', 1)).toBeNull();
  });

  it('refuses invalid options before use', () => {
    expect(() => new UserModelCache({ maxEntries: 0 })).toThrow(expect.objectContaining({ code: 'SERVING_OPTIONS_INVALID', field: 'maxEntries' }));
  });
});
