import { InteractionSchema, wireHeaders } from '@metarec/schemas';
import { malformedInteractions, oversizedInteraction } from '@metarec/schemas/testing';
import { describe, expect, it } from 'vitest';

import { makeInteraction, TEST_TIME_MS } from '../testing.js';
import { decodeBatch } from './decode-batch.js';
import type { IngestMessage } from './ingest-message.js';

function message(offset: number, value: Buffer | string | null, headers: Readonly<Record<string, string>> = wireHeaders(InteractionSchema), key: string | null = 'u1'): IngestMessage {
  return { topic: 't', partition: 0, offset: BigInt(offset), key, value: typeof value === 'string' ? Buffer.from(value) : value, headers, timestampMs: TEST_TIME_MS };
}

describe('decodeBatch', () => {
  it('splits a batch into accepted records with their text and dead letters stamped with the clock', () => {
    const good = JSON.stringify(makeInteraction());
    const { accepted, letters } = decodeBatch('interactions', [message(0, good), message(1, '{oops'), message(2, good)], { maxMessageBytes: 1_000, nowMs: TEST_TIME_MS });
    expect(accepted.map((a) => [a.message.offset, a.json])).toEqual([[0n, good], [2n, good]]);
    expect(letters.map((l) => [l.message.offset, l.reason, l.failedAtMs])).toEqual([[1n, 'FS_INVALID_JSON', TEST_TIME_MS]]);
  });

  it('dead-letters every case of the malformed corpus with its reason and field, and accepts the event it was built from', () => {
    const event = makeInteraction();
    const corpus = [...malformedInteractions(event), oversizedInteraction(event, 1_001)];
    const messages = [message(0, JSON.stringify(event)), ...corpus.map((c, i) => message(i + 1, c.message.value, c.message.headers, c.message.key))];
    const { accepted, letters } = decodeBatch('interactions', messages, { maxMessageBytes: 1_000, nowMs: TEST_TIME_MS });
    expect(accepted).toHaveLength(1);
    expect(letters.map((l) => [l.reason, l.field])).toEqual(corpus.map((c) => [c.reason, c.field]));
  });

  it('hands back the canonical JSON of each accepted record, not the received text', () => {
    const event = makeInteraction();
    const padded = JSON.stringify(Object.fromEntries(Object.entries(event).reverse()), null, 2);
    const { accepted } = decodeBatch('interactions', [message(0, padded)], { maxMessageBytes: 1_000, nowMs: TEST_TIME_MS });
    expect(accepted.map((a) => a.json)).toEqual([JSON.stringify(event)]);
  });
});
