import { describe, expect, it } from 'vitest';

import { AdaptationGate } from './adaptation-gate.js';

describe('AdaptationGate', () => {
  it('admits a burst, refuses beyond it, and refills at the rate', async () => {
    let now = 0;
    const gate = new AdaptationGate({ ratePerSec: 10, burst: 2, maxQueued: 10, now: () => now });
    const results = await Promise.all([gate.run(() => 1), gate.run(() => 2), gate.run(() => 3)]);
    expect(results).toEqual([{ ok: true, value: 1 }, { ok: true, value: 2 }, { ok: false, refusal: 'rate' }]);
    now = 100; // one token back at 10/s
    expect(await gate.run(() => 4)).toEqual({ ok: true, value: 4 });
  });

  it('refuses at once when the queue is full', async () => {
    const gate = new AdaptationGate({ ratePerSec: 1000, burst: 100, maxQueued: 2 });
    const runs = [gate.run(() => 'a'), gate.run(() => 'b'), gate.run(() => 'c')];
    expect(await runs[2]).toEqual({ ok: false, refusal: 'queue-full' });
    expect(await Promise.all(runs.slice(0, 2))).toEqual([{ ok: true, value: 'a' }, { ok: true, value: 'b' }]);
  });

  it('runs admitted jobs one at a time, yielding to other work in between', async () => {
    const gate = new AdaptationGate({ ratePerSec: 1000, burst: 100, maxQueued: 10 });
    const order: string[] = [];
    const jobs = [gate.run(() => order.push('job1')), gate.run(() => order.push('job2'))];
    // Cached requests' callbacks get a turn between two adaptations.
    setImmediate(() => order.push('other'));
    await Promise.all(jobs);
    expect(order).toEqual(['job1', 'other', 'job2']);
  });

  it('rejects the caller when the job throws, and refuses after close', async () => {
    const gate = new AdaptationGate();
    await expect(
      gate.run(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    gate.close();
    expect(await gate.run(() => 1)).toEqual({ ok: false, refusal: 'closed' });
  });
});
