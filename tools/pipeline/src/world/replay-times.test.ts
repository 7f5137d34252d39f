import type { Interaction } from '@metarec/schemas';
import { describe, expect, it } from 'vitest';

import { replayTimes } from './replay-times.js';

const event = (user: string, timestampMs: number): Interaction => ({ user_id: user, item_id: 'i', event_type: 'rating', value: 3, timestamp_ms: timestampMs, session_id: null, device: null });

describe('replayTimes', () => {
  it('sorts by event time, keeps ties in input order and maps the span onto the window keeping the gaps', () => {
    const day = 86_400_000;
    const { events, span } = replayTimes([event('c', 10 * day), event('a', 0), event('b', 0), event('d', 5 * day)], { endMs: 1_000_000, windowMs: 1_000 });
    expect(events.map((e) => e.user_id)).toEqual(['a', 'b', 'd', 'c']);
    expect(events.map((e) => e.timestamp_ms)).toEqual([999_000, 999_000, 999_500, 1_000_000]);
    expect(span).toEqual({ firstMs: 0, lastMs: 10 * day });
  });
});
