import { describe, expect, it } from 'vitest';

import { SharedList } from './shared-list.js';

describe('SharedList', () => {
  it('shares one read between concurrent requests and re-reads after the TTL or for a deeper list', async () => {
    let reads = 0;
    const list = new SharedList(async (depth: number) => {
      reads += 1;
      return Array.from({ length: depth }, (_, i) => i);
    }, 'numbers', 100, 1_000);
    const [a, b] = await Promise.all([list.get(3, 0), list.get(3, 0)]);
    expect(reads).toBe(1);
    expect(a.items).toEqual([0, 1, 2]);
    expect(b.items).toBe(a.items);
    expect((await list.get(2, 50)).items).toBe(a.items);
    expect(reads).toBe(1);
    expect((await list.get(5, 50)).items).toHaveLength(5);
    expect(reads).toBe(2);
    await list.get(5, 150);
    expect(reads).toBe(3);
  });

  it('peeks at a fresh, deep enough copy without reading, and at nothing otherwise', async () => {
    let reads = 0;
    const list = new SharedList(async (depth: number) => {
      reads += 1;
      return Array.from({ length: depth }, (_, i) => i);
    }, 'numbers', 100, 1_000);
    expect(list.peek(3, 0)).toBeUndefined();
    const read = await list.get(3, 0);
    expect(list.peek(2, 99)).toBe(read.items);
    expect(list.peek(4, 50)).toBeUndefined();
    expect(list.peek(3, 100)).toBeUndefined();
    expect(reads).toBe(1);
  });

  it('serves the last good copy with the failure when a read fails, and says when there is none', async () => {
    let fail = true;
    const list = new SharedList(async () => {
      if (fail) {
        throw new Error('redis down');
      }
      return ['x'];
    }, 'ids', 10, 1_000);
    const none = await list.get(1, 0);
    expect(none).toMatchObject({ items: [], empty: true });
    expect(none.failure).toBeInstanceOf(Error);
    fail = false;
    expect((await list.get(1, 1)).items).toEqual(['x']);
    fail = true;
    const stale = await list.get(1, 100);
    expect(stale).toMatchObject({ items: ['x'], empty: false });
    expect(stale.failure).toBeInstanceOf(Error);
  });
});
