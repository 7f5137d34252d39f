import { describe, expect, it } from 'vitest';

import type { OnlineBatch } from '../online/online-batch.js';
import { OnlineWriteQueue } from './online-write-queue.js';

function batch(partition: number, offsets: number[]): OnlineBatch {
  return { kind: 'interactions', topic: 't', partition, entries: offsets.map((o) => ({ offset: BigInt(o), record: {} as never })) };
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

describe('OnlineWriteQueue', () => {
  it('merges the batches queued behind a write in flight into one write, in offset order', async () => {
    const sent: bigint[][] = [];
    const first = gate();
    const queue = new OnlineWriteQueue(
      {
        apply: async (batches) => {
          sent.push(batches.flatMap((b) => b.entries.map((e) => e.offset)));
          if (sent.length === 1) {
            await first.promise;
          }
          return 0;
        },
      },
      () => undefined,
    );
    const applied: number[] = [];
    queue.enqueue('p0', batch(0, [1, 2]), () => applied.push(1));
    queue.enqueue('p0', batch(0, [3]), () => applied.push(2));
    queue.enqueue('p0', batch(0, [4, 5]), () => applied.push(3));
    expect(queue.pending()).toBe(5);
    const settled = queue.settled(['p0']);
    first.open();
    await settled;
    expect(sent).toEqual([[1n, 2n], [3n, 4n, 5n]]);
    expect(applied).toEqual([1, 2, 3]);
    expect(queue.pending()).toBe(0);
  });

  it('stops sending every partition after a failed write and still settles', async () => {
    const sent: number[] = [];
    const failures: unknown[] = [];
    const queue = new OnlineWriteQueue(
      {
        apply: async (batches) => {
          sent.push(batches[0].partition);
          if (batches[0].partition === 0) {
            throw new Error('redis down');
          }
          return 0;
        },
      },
      (error) => failures.push(error),
    );
    queue.enqueue('p0', batch(0, [1]), () => undefined);
    queue.enqueue('p0', batch(0, [2]), () => undefined);
    await queue.settled();
    queue.enqueue('p1', batch(1, [1]), () => undefined);
    await queue.settled();
    expect(sent).toEqual([0]);
    expect(failures).toHaveLength(1);
    expect(queue.failed()).toBe(true);
    expect(queue.pending()).toBe(0);
  });

  it('lets a caller wait until pending events fall to a bound without draining the partition', async () => {
    const gates = [gate(), gate()];
    let calls = 0;
    const apply = async (): Promise<number> => {
      await gates[calls++].promise;
      return 0;
    };
    const queue = new OnlineWriteQueue({ apply }, () => undefined);
    queue.enqueue('p0', batch(0, [1, 2, 3]), () => undefined);
    queue.enqueue('p0', batch(0, [4, 5]), () => undefined); // waits behind the first write
    let woken = false;
    const below = queue.below(2).then(() => (woken = true));
    await Promise.resolve();
    expect(woken).toBe(false);
    gates[0].open(); // 3 acknowledged, 2 still pending: at the bound
    await below;
    expect(queue.pending()).toBe(2);
    await expect(queue.below(5)).resolves.toBeUndefined();
    gates[1].open();
    await queue.settled();
  });

  it('wakes a waiting caller when a write fails', async () => {
    const queue = new OnlineWriteQueue({ apply: async () => Promise.reject(new Error('redis down')) }, () => undefined);
    queue.enqueue('p0', batch(0, [1, 2, 3]), () => undefined);
    await expect(queue.below(0)).resolves.toBeUndefined();
    expect(queue.failed()).toBe(true);
  });
});
