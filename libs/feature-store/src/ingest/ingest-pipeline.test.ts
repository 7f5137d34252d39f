import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DEAD_LETTER_HEADERS, deadLetterRecordBytes, SCHEMA_VERSION_HEADER, type DeadLetterRecord } from '@metarec/schemas';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { OfflineReader } from '../offline/offline-reader.js';
import { OfflineWriter } from '../offline/offline-writer.js';
import type { OnlineBatch } from '../online/online-batch.js';
import { makeInteraction, TEST_TIME_MS } from '../testing.js';
import type { IngestBatch } from './ingest-message.js';
import { IngestMetrics } from './ingest-metrics.js';
import { IngestPipeline } from './ingest-pipeline.js';

const TOPICS = { interactions: 'events', userProfiles: 'users', itemProfiles: 'items' };

function batch(partition: number, from: number, to: number, bad: ReadonlySet<number> = new Set()): IngestBatch {
  const messages = [];
  for (let offset = from; offset <= to; offset += 1) {
    const value = bad.has(offset) ? '{not json' : JSON.stringify(makeInteraction({ user_id: `u${offset}` }));
    messages.push({ topic: 'events', partition, offset: BigInt(offset), key: `u${offset}`, value: Buffer.from(value), headers: { [SCHEMA_VERSION_HEADER]: '1' }, timestampMs: TEST_TIME_MS });
  }
  return { topic: 'events', partition, messages, highWatermark: BigInt(to + 1) };
}

describe('IngestPipeline', () => {
  let root: string;
  let commits: { topic: string; partition: number; offset: bigint }[][];
  let letters: DeadLetterRecord[];
  let online: OnlineBatch[];

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'fs-ingest-'));
    commits = [];
    letters = [];
    online = [];
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  function pipeline(overrides: { flushRows?: number; flushAgeMs?: number } = {}): IngestPipeline {
    return new IngestPipeline({
      topics: TOPICS,
      offline: new OfflineWriter({ root }),
      online: { apply: async (b) => (online.push(...b), b.reduce((n, x) => n + x.entries.length, 0)) },
      deadLetters: { send: async (records) => void letters.push(...records) },
      committer: { commit: async (offsets) => void commits.push([...offsets]) },
      now: () => TEST_TIME_MS,
      ...overrides,
    });
  }

  async function offlineRows(): Promise<number> {
    return (await new OfflineReader({ root }).readRange('interactions', { fromDate: '2026-03-01', toDate: '2026-03-01' })).numRows;
  }

  it('applies records online at once, buffers them offline, and commits only after the flush made them durable', async () => {
    const p = pipeline();
    await p.handleBatch(batch(0, 0, 9, new Set([3])));
    expect(online[0].entries).toHaveLength(9);
    expect(letters.map((l) => l.headers['dlq-reason'])).toEqual(['FS_INVALID_JSON']);
    expect(commits).toEqual([]);
    expect(await offlineRows()).toBe(0);
    await p.flush();
    expect(await offlineRows()).toBe(9);
    expect(commits).toEqual([[{ topic: 'events', partition: 0, offset: 10n }]]);
  });

  it('flushes by row count', async () => {
    const p = pipeline({ flushRows: 5 });
    await p.handleBatch(batch(0, 0, 3));
    expect(p.buffered()).toBe(4);
    await p.handleBatch(batch(0, 4, 5));
    await vi.waitFor(() => expect(commits.flat().map((c) => c.offset)).toEqual([6n]));
    expect(p.buffered()).toBe(0);
  });

  it('skips redelivered offsets it already handled (a kept partition re-read after a rebalance)', async () => {
    const p = pipeline();
    await p.handleBatch(batch(0, 0, 4));
    await p.handleBatch(batch(0, 0, 7));
    await p.flush();
    expect(await offlineRows()).toBe(8);
    expect(online.flatMap((b) => b.entries.map((e) => e.offset))).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n]);
  });

  it('drops the buffer of a revoked partition: nothing written, nothing committed for it', async () => {
    const p = pipeline();
    await p.handleBatch(batch(0, 0, 4));
    await p.handleBatch(batch(1, 0, 2));
    p.revoke([{ topic: 'events', partition: 0 }]);
    await p.flush();
    expect(await offlineRows()).toBe(3);
    expect(commits).toEqual([[{ topic: 'events', partition: 1, offset: 3n }]]);
  });

  it('ignores a batch the consumer reports stale', async () => {
    const p = pipeline();
    await p.handleBatch(batch(0, 0, 4), { isStale: () => true });
    await p.flush();
    expect(online).toEqual([]);
    expect(commits).toEqual([]);
  });

  it('replays from an older commit without storing a record twice (restart after a crash)', async () => {
    const first = pipeline();
    await first.handleBatch(batch(0, 0, 9));
    await first.flush();
    const restarted = pipeline();
    await restarted.handleBatch(batch(0, 0, 14));
    await restarted.close();
    expect(await offlineRows()).toBe(15);
    expect(commits.flat().map((c) => c.offset)).toEqual([10n, 15n]);
  });

  it('commits partitions whose every message was dead-lettered', async () => {
    const p = pipeline();
    await p.handleBatch(batch(0, 0, 1, new Set([0, 1])));
    await p.flush();
    expect(commits).toEqual([[{ topic: 'events', partition: 0, offset: 2n }]]);
  });

  it('fails for good when a flush cannot write, and reports it once', async () => {
    const fatal: unknown[] = [];
    const p = new IngestPipeline({
      topics: TOPICS,
      offline: { write: () => Promise.reject(new Error('disk full')) },
      online: { apply: async () => 0 },
      deadLetters: { send: async () => undefined },
      committer: { commit: async (offsets) => void commits.push([...offsets]) },
      onFatal: (error) => fatal.push(error),
    });
    await p.handleBatch(batch(0, 0, 1));
    await expect(p.flush()).rejects.toMatchObject({ code: 'FS_WRITE_FAILED' });
    await expect(p.handleBatch(batch(0, 2, 3))).rejects.toMatchObject({ code: 'FS_WRITE_FAILED' });
    expect(fatal).toHaveLength(1);
    expect(commits).toEqual([]);
  });

  it('returns before the online write is acknowledged, keeps a partition\'s writes in order, and commits only after they are', async () => {
    const releases: (() => void)[] = [];
    const applied: bigint[] = [];
    const p = new IngestPipeline({
      topics: TOPICS,
      offline: new OfflineWriter({ root }),
      online: {
        apply: (b) =>
          new Promise<number>((resolve) => {
            releases.push(() => {
              applied.push(...b.flatMap((x) => x.entries.map((e) => e.offset)));
              resolve(1);
            });
          }),
      },
      deadLetters: { send: async () => undefined },
      committer: { commit: async (offsets) => void commits.push([...offsets]) },
    });
    await p.handleBatch(batch(0, 0, 1));
    await p.handleBatch(batch(0, 2, 3));
    await vi.waitFor(() => expect(releases).toHaveLength(1)); // the second waits behind the first
    const flushed = p.flush();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(commits).toEqual([]);
    releases[0]();
    await vi.waitFor(() => expect(releases).toHaveLength(2));
    releases[1]();
    await flushed;
    expect(applied).toEqual([0n, 1n, 2n, 3n]);
    expect(commits).toEqual([[{ topic: 'events', partition: 0, offset: 4n }]]);
  });

  it('stops a partition\'s online writes after one failed, fails the pipeline and commits nothing', async () => {
    const fatal: unknown[] = [];
    let calls = 0;
    const p = new IngestPipeline({
      topics: TOPICS,
      offline: new OfflineWriter({ root }),
      online: {
        apply: async () => {
          calls += 1;
          throw new Error('redis down');
        },
      },
      deadLetters: { send: async () => undefined },
      committer: { commit: async (offsets) => void commits.push([...offsets]) },
      onFatal: (error) => fatal.push(error),
    });
    await p.handleBatch(batch(0, 0, 1));
    await p.onlineSettled();
    await expect(p.handleBatch(batch(0, 2, 3))).rejects.toMatchObject({ code: 'FS_REDIS_FAILED' });
    await expect(p.flush()).rejects.toMatchObject({ code: 'FS_REDIS_FAILED' });
    expect(calls).toBe(1);
    expect(fatal).toHaveLength(1);
    expect(commits).toEqual([]);
  });

  it('sizes dead letters to the dead-letter topic: each send fits maxDeadLetterBytes, an oversized payload is cut', async () => {
    const sends: DeadLetterRecord[][] = [];
    const p = new IngestPipeline({
      topics: TOPICS,
      offline: new OfflineWriter({ root }),
      online: { apply: async () => 0 },
      deadLetters: { send: async (records) => void sends.push([...records]) },
      committer: { commit: async () => undefined },
      maxMessageBytes: 200_000,
      maxDeadLetterBytes: 50_000,
    });
    const big = { ...batch(0, 0, 0).messages[0], value: Buffer.alloc(150_000, 0x20) };
    const small = batch(0, 1, 3, new Set([1, 2, 3])).messages;
    await p.handleBatch({ topic: 'events', partition: 0, messages: [big, ...small], highWatermark: 4n });
    expect(sends.flat()).toHaveLength(4);
    for (const group of sends) {
      expect(group.reduce((n, r) => n + deadLetterRecordBytes(r), 0)).toBeLessThanOrEqual(50_000);
    }
    expect(sends.flat()[0].headers[DEAD_LETTER_HEADERS.truncated]).toBe('true');
    expect(sends.flat()[0].headers[DEAD_LETTER_HEADERS.originalBytes]).toBe('150000');
  });

  it('updates the lag gauge when a batch fails, and reports a partition stuck once it made no progress for stuckAfterMs', async () => {
    let nowMs = TEST_TIME_MS;
    const registry = new Registry();
    let failing = true;
    const p = new IngestPipeline({
      topics: TOPICS,
      offline: new OfflineWriter({ root }),
      online: { apply: async () => 0 },
      deadLetters: {
        send: async () => {
          if (failing) {
            throw new Error('MESSAGE_TOO_LARGE');
          }
        },
      },
      committer: { commit: async () => undefined },
      metrics: new IngestMetrics(registry),
      now: () => nowMs,
      stuckAfterMs: 30_000,
    });
    const poisoned = { ...batch(0, 0, 11, new Set([1])), highWatermark: 12n };
    await expect(p.handleBatch(poisoned)).rejects.toThrow('MESSAGE_TOO_LARGE');
    const lag = async (): Promise<string> => (await registry.getSingleMetricAsString('metarec_ingest_consumer_lag')).split('\n').filter((l) => l.startsWith('metarec_ingest_consumer_lag{')).join('\n');
    expect(await lag()).toBe('metarec_ingest_consumer_lag{topic="events",partition="0"} 12');
    expect(p.stuckPartitions()).toEqual([]);
    nowMs += 31_000;
    await expect(p.handleBatch(poisoned)).rejects.toThrow('MESSAGE_TOO_LARGE');
    expect(p.stuckPartitions()).toEqual([{ topic: 'events', partition: 0, lag: 12, stalledMs: 31_000, failedBatches: 2 }]);
    expect(await registry.getSingleMetricAsString('metarec_ingest_partition_stuck')).toContain('metarec_ingest_partition_stuck{topic="events",partition="0"} 1');
    expect(await registry.getSingleMetricAsString('metarec_ingest_batch_failures_total')).toContain('metarec_ingest_batch_failures_total{topic="events",partition="0"} 2');
    failing = false;
    await p.handleBatch(poisoned);
    expect(p.stuckPartitions()).toEqual([]);
    expect(await lag()).toBe('metarec_ingest_consumer_lag{topic="events",partition="0"} 0');
    expect(await registry.getSingleMetricAsString('metarec_ingest_partition_stuck')).toContain('metarec_ingest_partition_stuck{topic="events",partition="0"} 0');
  });

  it('does not count the wait of a partition that just got new messages as a stall', async () => {
    let nowMs = TEST_TIME_MS;
    const p = new IngestPipeline({
      topics: TOPICS,
      offline: new OfflineWriter({ root }),
      online: { apply: async () => 0 },
      deadLetters: { send: async () => Promise.reject(new Error('down')) },
      committer: { commit: async () => undefined },
      now: () => nowMs,
      stuckAfterMs: 30_000,
    });
    await p.handleBatch(batch(0, 0, 4));
    nowMs += 600_000; // caught up, then quiet for ten minutes
    await expect(p.handleBatch(batch(0, 5, 6, new Set([5])))).rejects.toThrow('down');
    expect(p.stuckPartitions()).toEqual([]);
    nowMs += 30_000;
    expect(p.stuckPartitions()).toMatchObject([{ topic: 'events', partition: 0, lag: 2 }]);
  });

  it('keeps a default when an option is passed as undefined', () => {
    expect(() => pipeline({ flushRows: undefined })).not.toThrow();
  });

  it('rejects invalid options', () => {
    expect(() => pipeline({ flushRows: 0 })).toThrow(expect.objectContaining({ code: 'FS_OPTIONS_INVALID' }));
  });
});
