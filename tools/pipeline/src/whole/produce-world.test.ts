import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { decodeRecord, InteractionSchema } from '@metarec/schemas';
import type { EventProducer, OutgoingMessage, SendReceipt } from '@metarec/streaming';
import { describe, expect, it } from 'vitest';

import { loadWorld } from '../world/load-world.js';
import { produceWorld } from './produce-world.js';

/** The end of the replay window (the event schema admits no times near 1970). */
const END_MS = Date.UTC(2026, 0, 1);

/** Records what the pipeline sends, per topic, in send order. */
class RecordingProducer implements EventProducer {
  readonly sent = new Map<string, OutgoingMessage[]>();
  async send(topic: string, messages: readonly OutgoingMessage[]): Promise<readonly SendReceipt[]> {
    this.sent.set(topic, [...(this.sent.get(topic) ?? []), ...messages]);
    return [];
  }
  readonly closed: boolean[] = [];
  async close(): Promise<void> {
    this.closed.push(true);
  }
}

describe('produceWorld on a ratings file', () => {
  it('sends the ratings in event-time order, keyed by user, whatever the order of the file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'metarec-produce-'));
    try {
      // Lines deliberately out of time order (seconds).
      await writeFile(path.join(dir, 'ratings.csv'), 'user,item,rating,timestamp\nb,x,4,300\na,x,5,100\na,y,2,500\nc,z,3,200\nb,y,1,100\n');
      const world = await loadWorld({ kind: 'file', ratings: path.join(dir, 'ratings.csv') }, { endMs: END_MS, windowMs: 4_000 });
      const producer = new RecordingProducer();
      const topics = { interactions: 'i', userProfiles: 'u', itemProfiles: 'p' };
      await produceWorld(producer, topics, world);
      const sent = producer.sent.get('i') ?? [];
      // Decoded as ingest decodes them (the wire contract), so the test reads what Kafka would carry.
      const decoded = sent.map((m) => {
        const headers = Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(v)]));
        const value = typeof m.value === 'string' ? Buffer.from(m.value) : m.value;
        const result = decodeRecord(InteractionSchema, { key: m.key === null ? null : String(m.key), value, headers });
        if (!result.ok) {
          throw new Error(`not decodable: ${result.reason}`);
        }
        return result.record;
      });
      expect(decoded.map((e) => `${e.user_id}:${e.item_id}`)).toEqual(['a:x', 'b:y', 'c:z', 'b:x', 'a:y']);
      // Times mapped into the window ending at endMs, gaps kept (100 s .. 500 s → 4 s).
      expect(decoded.map((e) => e.timestamp_ms - END_MS)).toEqual([-4_000, -4_000, -3_000, -2_000, 0]);
      expect(sent.map((m) => m.timestampMs)).toEqual(decoded.map((e) => e.timestamp_ms));
      expect(sent.map((m) => String(m.key))).toEqual(['a', 'b', 'c', 'b', 'a']);
      expect(producer.sent.get('u')).toHaveLength(3);
      expect(producer.sent.get('p')).toHaveLength(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
