import { describe, expect, it } from 'vitest';

import { pacedSend } from './paced-send.js';

/** A clock that only moves when slept on, so retries and backoff take no real time. */
function virtualClock(): { nowMs: () => number; sleep: (ms: number) => Promise<void> } {
  let t = 0;
  return {
    nowMs: () => t,
    sleep: async (ms) => {
      t += ms;
    },
  };
}

describe('pacedSend', () => {
  it('retries a batch whose send failed (a broker restart) and reports the retries, losing nothing', async () => {
    const clock = virtualClock();
    const delivered: number[] = [];
    let failuresLeft = 3;
    let i = 0;
    const report = await pacedSend<number>({
      count: 10,
      ratePerSec: Infinity,
      batchSize: 2,
      concurrency: 1,
      next: (n) => Array.from({ length: n }, () => i++),
      send: async (batch) => {
        if (batch[0] === 4 && failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error('STREAM_SEND_FAILED: connection refused');
        }
        delivered.push(...batch);
      },
      retryForMs: 10_000,
      ...clock,
    });
    expect(delivered.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(report).toMatchObject({ sent: 10, failed: 0, retries: 3 });
  });

  it('gives up on a batch after retryForMs and reports it failed instead of throwing', async () => {
    const clock = virtualClock();
    let i = 0;
    const report = await pacedSend<number>({
      count: 6,
      ratePerSec: Infinity,
      batchSize: 2,
      next: (n) => Array.from({ length: n }, () => i++),
      send: async (batch) => {
        if (batch[0] === 2) {
          throw new Error('STREAM_SEND_FAILED: broker gone');
        }
      },
      retryForMs: 5_000,
      ...clock,
    });
    expect(report).toMatchObject({ sent: 4, failed: 2 });
    expect(report.lastError).toContain('broker gone');
    expect(report.retries).toBeGreaterThan(0);
  });
});
