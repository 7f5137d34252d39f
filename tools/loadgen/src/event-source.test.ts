import { decodeMessage } from '@metarec/feature-store';
import { describe, expect, it } from 'vitest';

import { EventSource } from './event-source.js';
import { EXPECTED_REASON } from './malformed.js';
import { pacedSend } from './paced-send.js';

const NOW = Date.UTC(2026, 10, 26, 12);

describe('EventSource', () => {
  const source = (fraction: number): EventSource =>
    new EventSource({ synthetic: { users: 50, items: 40, interactionsPerUser: { min: 5, max: 10 } }, malformedFraction: fraction, now: () => NOW });

  it('sends valid interactions keyed by user id, stamped with the send time', () => {
    const messages = source(0).next(200);
    expect(messages.every((m) => m.malformed === null)).toBe(true);
    for (const m of messages) {
      const decoded = decodeMessage({ topic: 't', partition: 0, offset: 0n, key: m.key, value: Buffer.from(m.value), headers: m.headers, timestampMs: NOW }, 'interactions', {
        maxMessageBytes: 10_000,
        nowMs: NOW,
      });
      expect(decoded).toMatchObject({ ok: true, record: { user_id: m.key, timestamp_ms: NOW } });
    }
  });

  it('breaks about the requested share, each kind dead-lettered by ingest with its reason', () => {
    const messages = source(0.2).next(3_000);
    const broken = messages.filter((m) => m.malformed !== null);
    expect(broken.length / messages.length).toBeGreaterThan(0.17);
    expect(broken.length / messages.length).toBeLessThan(0.23);
    for (const m of broken) {
      const decoded = decodeMessage({ topic: 't', partition: 0, offset: 0n, key: m.key, value: Buffer.from(m.value), headers: m.headers, timestampMs: NOW }, 'interactions', {
        maxMessageBytes: 10_000,
        nowMs: NOW,
      });
      expect(decoded).toMatchObject({ ok: false, reason: EXPECTED_REASON[m.malformed ?? 'bad-json'] });
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
