import { describe, expect, it } from 'vitest';

import { FeedbackAuth } from './feedback-auth.js';

const SIGNING_KEY = 'feedback-auth-test-signing-key-0123456789';

describe('FeedbackAuth rate buckets', () => {
  it('keeps the buckets of the maxCallers most recently seen callers and forgets the others', () => {
    const auth = new FeedbackAuth({ signingKey: SIGNING_KEY, burst: 1, ratePerSec: 1, maxCallers: 2 });
    const now = 1_000_000;
    const post = (user: string): string => auth.authorize(`Bearer ${auth.issue(user, now) as string}`, user, now);
    expect(post('u1')).toBe('user:u1');
    expect(post('u2')).toBe('user:u2');
    // u1's bucket is empty (no time passed) and u1 becomes the most recently seen.
    expect(() => post('u1')).toThrow(expect.objectContaining({ code: 'SERVING_RATE_LIMITED' }));
    // A third caller drops the least recently seen: u2, not u1.
    expect(post('u3')).toBe('user:u3');
    expect(() => post('u1')).toThrow(expect.objectContaining({ code: 'SERVING_RATE_LIMITED' }));
    expect(post('u2')).toBe('user:u2');
  });
});
