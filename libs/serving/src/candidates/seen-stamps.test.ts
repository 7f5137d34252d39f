import { describe, expect, it } from 'vitest';

import { SeenStamps } from './seen-stamps.js';

describe('SeenStamps', () => {
  it('forgets every mark when a new pass begins, and add reports whether the id was new', () => {
    const seen = new SeenStamps(100);
    seen.begin();
    seen.mark('a');
    expect(seen.has('a')).toBe(true);
    expect(seen.has('b')).toBe(false);
    expect(seen.add('b')).toBe(true);
    expect(seen.add('b')).toBe(false);
    expect(seen.add('a')).toBe(false);
    seen.begin();
    expect(seen.has('a')).toBe(false);
    expect(seen.has('b')).toBe(false);
    expect(seen.add('a')).toBe(true);
    expect(seen.has('a')).toBe(true);
  });

  it('keeps known ids across passes without growing, and starts afresh once a flood of distinct ids passes the bound', () => {
    const seen = new SeenStamps(100);
    for (let pass = 0; pass < 10; pass++) {
      seen.begin();
      for (let i = 0; i < 50; i++) {
        seen.mark(`known-${i}`);
      }
    }
    expect(seen.size).toBe(50);
    let maxSize = 0;
    for (let pass = 0; pass < 200; pass++) {
      seen.begin();
      expect(seen.size).toBeLessThanOrEqual(100);
      for (let i = 0; i < 30; i++) {
        seen.mark(`client-${pass}-${i}`);
      }
      maxSize = Math.max(maxSize, seen.size);
      expect(seen.has(`client-${pass}-0`)).toBe(true);
      expect(seen.has(`client-${pass - 1}-0`)).toBe(false);
    }
    // One pass may take the map past the bound; the next begin() drops it.
    expect(maxSize).toBeLessThanOrEqual(100 + 30);
    expect(maxSize).toBeGreaterThan(100);
  });
});
