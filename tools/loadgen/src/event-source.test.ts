import { decodeRecord, InteractionSchema, type WireDecodeResult, type Interaction } from '@metarec/schemas';
import { malformedInteraction, MALFORMED_EVENT_NAMES } from '@metarec/schemas/testing';
import { describe, expect, it } from 'vitest';

import { EventSource, type InteractionMessage } from './event-source.js';
import { pacedSend } from './paced-send.js';

const NOW = Date.UTC(2026, 10, 26, 12);

/** What ingest makes of `m` (its decoder is the wire contract's). */
function decoded(m: InteractionMessage): WireDecodeResult<Interaction> {
  const value = m.value === null ? null : Buffer.from(m.value);
  return decodeRecord(InteractionSchema, { key: m.key, value, headers: m.headers }, { maxMessageBytes: 10_000, nowMs: NOW });
}

describe('EventSource', () => {
  const source = (fraction: number): EventSource =>
    new EventSource({ synthetic: { users: 50, items: 40, interactionsPerUser: { min: 5, max: 10 } }, malformedFraction: fraction, now: () => NOW });

  it('sends valid interactions keyed by user id, stamped with the send time', () => {
    const messages = source(0).next(200);
    expect(messages.every((m) => m.malformed === null)).toBe(true);
    for (const m of messages) {
      expect(decoded(m)).toMatchObject({ ok: true, record: { user_id: m.key, timestamp_ms: NOW } });
    }
  });

  it('breaks about the requested share with the shared corpus, each case dead-lettered by ingest with its reason', () => {
    const messages = source(0.2).next(3_000);
    const broken = messages.filter((m) => m.malformed !== null);
    expect(broken.length / messages.length).toBeGreaterThan(0.17);
    expect(broken.length / messages.length).toBeLessThan(0.23);
    expect(new Set(broken.map((m) => m.malformed)).size).toBe(MALFORMED_EVENT_NAMES.length);
    const template = source(0).next(1)[0];
    for (const m of broken) {
      const expected = malformedInteraction(m.malformed ?? 'not-json', JSON.parse(String(template?.value)) as Interaction);
      expect(decoded(m)).toMatchObject({ ok: false, reason: expected.reason, field: expected.field });
    }
  });
});

describe('pacedSend', () => {
  it('schedules batches by the target rate from the start', async () => {
    let clock = 0;
    const sentAt: number[] = [];
    const report = await pacedSend({
      count: 1_000,
      ratePerSec: 500,
      batchSize: 100,
      next: (n) => Array.from({ length: n }, () => 0),
      concurrency: 1,
      send: async () => {
        sentAt.push(clock);
        clock += 10; // each send takes 10 ms
      },
      nowMs: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    expect(sentAt).toEqual([0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800]);
    expect(report.sent).toBe(1_000);
  });
});
