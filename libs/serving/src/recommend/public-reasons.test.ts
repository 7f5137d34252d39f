import { describe, expect, it } from 'vitest';

import { publicReason } from './public-reasons.js';

describe('publicReason', () => {
  it('drops the client error text of an unavailable dependency, keeping what was served instead', () => {
    expect(publicReason('user context unavailable (connect ECONNREFUSED 10.0.3.7:6380): cached user model or cold path')).toBe('user context unavailable: cached user model or cold path');
    expect(publicReason('popular items unavailable (Redis (cluster) timeout (3)): last good copy used')).toBe('popular items unavailable: last good copy used');
    expect(publicReason('item profiles unavailable (broken')).toBe('item profiles unavailable');
    expect(publicReason('adaptation refused (rate): served from the prior')).toBe('adaptation refused (rate): served from the prior');
  });
});
