import type { Interaction } from '@metarec/schemas';
import { describe, expect, it } from 'vitest';

import { PendingInteractions } from './pending-interactions.js';

function event(item: string, t: number): Interaction {
  return { user_id: 'u', item_id: item, event_type: 'rating', value: 5, timestamp_ms: t, session_id: null, device: null };
}

describe('PendingInteractions', () => {
  it('overlays accepted feedback on the stored events, newest first, until the store has it', () => {
    let now = 0;
    const pending = new PendingInteractions({ ttlMs: 1_000, now: () => now });
    pending.add(event('new', 30));
    const stored = [event('b', 20), event('a', 10)];
    expect(pending.merge('u', stored).map((e) => e.item_id)).toEqual(['new', 'b', 'a']);
    const caughtUp = [event('new', 30), ...stored];
    expect(pending.merge('u', caughtUp)).toBe(caughtUp);
    now = 10;
    expect(pending.merge('u', stored)).toBe(stored);
  });

  it('forgets feedback after the TTL', () => {
    let now = 0;
    const pending = new PendingInteractions({ ttlMs: 100, now: () => now });
    pending.add(event('x', 1));
    now = 100;
    expect(pending.merge('u', [])).toEqual([]);
  });
});
