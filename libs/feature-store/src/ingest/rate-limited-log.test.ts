import { describe, expect, it } from 'vitest';

import { RateLimitedLog } from './rate-limited-log.js';

describe('RateLimitedLog', () => {
  it('lets one line per kind through per interval and reports how many it held back', () => {
    let now = 0;
    const log = new RateLimitedLog(1_000, () => now);
    expect(log.admit('A')).toEqual({ log: true, suppressed: 0 });
    expect(log.admit('A')).toEqual({ log: false });
    expect(log.admit('B')).toEqual({ log: true, suppressed: 0 });
    expect(log.admit('A')).toEqual({ log: false });
    now = 1_000;
    expect(log.admit('A')).toEqual({ log: true, suppressed: 2 });
  });
});
