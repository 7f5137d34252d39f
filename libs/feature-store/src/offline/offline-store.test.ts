import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { writeIpcFile } from '@metarec/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { makeInteraction, TEST_TIME_MS } from '../testing.js';
import { compactOfflineStore } from './compact-offline-store.js';
import { OFFSET_RANGES_METADATA_KEY, parseOfflineFileName } from './offline-layout.js';
import { OfflineReader } from './offline-reader.js';
import { offlineRecords, readOfflineFile } from './offline-table.js';
import { OfflineWriter, type OffsetRecord } from './offline-writer.js';

const DAY_MS = 86_400_000;

function entries(from: number, to: number, timeOf: (offset: number) => number = () => TEST_TIME_MS): OffsetRecord[] {
  const out: OffsetRecord[] = [];
  for (let offset = from; offset <= to; offset += 1) {
    out.push({ offset: BigInt(offset), record: makeInteraction({ user_id: `u${offset}`, timestamp_ms: timeOf(offset) }) });
  }
  return out;
}

describe('offline store', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'fs-offline-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes one file per event date named by topic-partition and offset range, with the fingerprint and ranges', async () => {
    const writer = new OfflineWriter({ root });
    const result = await writer.write('interactions', 'my-events.v1', 3, entries(10, 13, (o) => TEST_TIME_MS + (o % 2) * DAY_MS));
    expect(result.written.map((f) => f.path.slice(root.length))).toEqual([
      '/interactions/date=2026-03-01/my-events.v1-3-10-12.arrow',
      '/interactions/date=2026-03-02/my-events.v1-3-11-13.arrow',
    ]);
    const decoded = await readOfflineFile('interactions', result.written[0].path);
    expect(decoded.ranges).toEqual([{ first: 10n, last: 12n }]);
    expect(decoded.table.schema.metadata.get('metarec.schema.name')).toBe('interaction');
    expect(decoded.table.schema.metadata.get(OFFSET_RANGES_METADATA_KEY)).toBe('[["10","12"]]');
    expect(offlineRecords('interactions', decoded.table).map((r) => (r as { user_id: string }).user_id)).toEqual(['u10', 'u12']);
  });

  it('skips records whose offset a durable file of the same date already holds (replay after a crash)', async () => {
    const writer = new OfflineWriter({ root });
    const byOffset = (o: number): number => TEST_TIME_MS + (o >= 15 ? DAY_MS : 0);
    await writer.write('interactions', 't', 0, entries(10, 14, byOffset));
    // Replay from offset 10 with more records: 10..14 are durable already, 15.. are new.
    const replay = await writer.write('interactions', 't', 0, entries(10, 20, byOffset));
    expect(replay.skipped).toBe(5);
    expect(replay.written.map((f) => [f.first, f.last])).toEqual([[15n, 20n]]);
    const table = await new OfflineReader({ root }).readRange('interactions', { fromDate: '2026-03-01', toDate: '2026-03-02' });
    expect(table.numRows).toBe(11);
  });

  it('skips exactly the offsets durable files hold when a replay spans several files and the gaps between them', async () => {
    const writer = new OfflineWriter({ root });
    for (const [from, to] of [[0, 4], [5, 9], [20, 24], [40, 44]]) {
      await writer.write('interactions', 't', 0, entries(from, to));
    }
    const replay = await writer.write('interactions', 't', 0, entries(3, 22));
    expect(replay.skipped).toBe(10); // 3-4, 5-9, 20-22
    expect(replay.written.map((f) => [f.first, f.last, f.rows])).toEqual([[10n, 19n, 10]]);
  });

  it('counts an offset as durable only for the date whose file holds it', async () => {
    const writer = new OfflineWriter({ root });
    // Offset 11 belongs to the next day; the first day's file 10-12 does not hold it.
    await writer.write('interactions', 't', 0, entries(10, 12).filter((e) => e.offset !== 11n));
    const replay = await writer.write('interactions', 't', 0, entries(11, 11, () => TEST_TIME_MS + DAY_MS));
    expect(replay.written).toHaveLength(1);
    expect(replay.skipped).toBe(0);
  });

  it('publishes nothing once the partition is no longer owned', async () => {
    const writer = new OfflineWriter({ root });
    const result = await writer.write('interactions', 't', 0, entries(0, 9), { stillOwned: () => false });
    expect(result).toEqual({ written: [], skipped: 0, abandoned: true });
    expect(await readdir(join(root, 'interactions', 'date=2026-03-01'))).toEqual([]);
  });

  it('lists partitions, reads a date range as one table and reports per-partition watermarks', async () => {
    const writer = new OfflineWriter({ root });
    await writer.write('interactions', 't', 0, entries(0, 4));
    await writer.write('interactions', 't', 1, entries(7, 8, () => TEST_TIME_MS + 2 * DAY_MS));
    const reader = new OfflineReader({ root });
    expect(await reader.listPartitions('interactions')).toEqual([
      { date: '2026-03-01', files: 1 },
      { date: '2026-03-03', files: 1 },
    ]);
    expect((await reader.readRange('interactions', { fromDate: '2026-03-01', toDate: '2026-03-02' })).numRows).toBe(5);
    expect((await reader.readRange('interactions', { fromDate: '2026-01-01', toDate: '2026-12-31' })).numRows).toBe(7);
    expect((await reader.readRange('user_profiles', { fromDate: '2026-01-01', toDate: '2026-12-31' })).numRows).toBe(0);
    expect(await reader.watermarks('interactions')).toEqual([
      { topic: 't', partition: 0, offset: 4n },
      { topic: 't', partition: 1, offset: 8n },
    ]);
  });

  it('ignores temp files and foreign names', async () => {
    await new OfflineWriter({ root }).write('interactions', 't', 0, entries(0, 1));
    const dir = join(root, 'interactions', 'date=2026-03-01');
    await writeFile(join(dir, '.t-0-2-3.arrow.tmp-abc'), 'partial');
    await writeFile(join(dir, 'README'), 'x');
    expect((await new OfflineReader({ root }).listFiles('interactions')).map((f) => f.first)).toEqual([0n]);
  });

  it('compacts small files into one holding the union of ranges; readers never see a row twice meanwhile', async () => {
    const writer = new OfflineWriter({ root });
    await writer.write('interactions', 't', 0, entries(0, 3));
    await writer.write('interactions', 't', 0, entries(4, 6));
    await writer.write('interactions', 't', 0, entries(9, 9));
    const reader = new OfflineReader({ root });
    const before = await reader.readRange('interactions', { fromDate: '2026-03-01', toDate: '2026-03-01' });
    const report = await compactOfflineStore({ root, kind: 'interactions' });
    expect(report.rows).toBe(8);
    expect(report.written.map((p) => p.split('/').pop())).toEqual(['t-0-0-9.arrow']);
    const compacted = await readOfflineFile('interactions', report.written[0]);
    expect(compacted.ranges).toEqual([
      { first: 0n, last: 6n },
      { first: 9n, last: 9n },
    ]);
    const after = await reader.readRange('interactions', { fromDate: '2026-03-01', toDate: '2026-03-01' });
    const ids = (t: typeof after): string[] => offlineRecords('interactions', t).map((r) => (r as { user_id: string }).user_id);
    expect(ids(after)).toEqual(ids(before));
    expect(await reader.watermarks('interactions')).toEqual([{ topic: 't', partition: 0, offset: 9n }]);
  });

  it('hides compaction inputs that a crash left next to the compacted file, and a rerun deletes them', async () => {
    const writer = new OfflineWriter({ root });
    await writer.write('interactions', 't', 0, entries(0, 1));
    await writer.write('interactions', 't', 0, entries(2, 3));
    const dir = join(root, 'interactions', 'date=2026-03-01');
    const inputs = await readdir(dir);
    const bytes = await Promise.all(inputs.map(async (name) => [name, (await readOfflineFile('interactions', join(dir, name))).table] as const));
    await compactOfflineStore({ root, kind: 'interactions' });
    // Simulate the crash: put one input back beside the compacted file.
    await writeFile(join(dir, bytes[0][0]), writeIpcFile(bytes[0][1]));
    const reader = new OfflineReader({ root });
    expect((await reader.readRange('interactions', { fromDate: '2026-03-01', toDate: '2026-03-01' })).numRows).toBe(4);
    const rerun = await compactOfflineStore({ root, kind: 'interactions' });
    expect(rerun.deleted.map((p) => p.split('/').pop())).toEqual([bytes[0][0]]);
    expect((await readdir(dir)).map((n) => parseOfflineFileName(n))).toEqual([{ topic: 't', partition: 0, first: 0n, last: 3n }]);
  });

  it('removes temp files a killed writer left behind once they are stale, not fresh ones', async () => {
    await new OfflineWriter({ root }).write('interactions', 't', 0, entries(0, 1));
    const dir = join(root, 'interactions', 'date=2026-03-01');
    await writeFile(join(dir, '.t-0-2-3.arrow.tmp-0a1b'), 'partial');
    const fresh = await compactOfflineStore({ root, kind: 'interactions' });
    expect(fresh.tempFilesRemoved).toEqual([]);
    const later = await compactOfflineStore({ root, kind: 'interactions', now: () => Date.now() + 2 * 3_600_000 });
    expect(later.tempFilesRemoved.map((p) => p.split('/').pop())).toEqual(['.t-0-2-3.arrow.tmp-0a1b']);
    expect(await readdir(dir)).toEqual(['t-0-0-1.arrow']);
  });

  it('rejects a bad topic name and a bad date', async () => {
    await expect(new OfflineWriter({ root }).write('interactions', 'a/b', 0, entries(0, 0))).rejects.toMatchObject({ code: 'FS_PATH_INVALID' });
    await expect(new OfflineReader({ root }).readRange('interactions', { fromDate: '2026-13-01', toDate: '2026-12-01' })).rejects.toMatchObject({
      code: 'FS_PATH_INVALID',
    });
  });
});
