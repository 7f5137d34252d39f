import { join } from 'node:path';

import { writeFileAtomic } from '@metarec/runtime';

import { FeatureStoreError, invalidOption } from '../errors.js';
import { checkTopic, dateDir, offlineFileName, utcDateOf } from './offline-layout.js';
import { encodeOfflineFile } from './offline-table.js';
import { eventTimeOf, type RecordKind, type StoreRecord } from './record-kinds.js';
import { coveredBy, listOfflineFiles } from './store-files.js';

/** A validated record and the Kafka offset it was read at. */
export interface OffsetRecord {
  readonly offset: bigint;
  readonly record: StoreRecord;
}

/** A file published by {@link OfflineWriter.write}. */
export interface WrittenFile {
  readonly path: string;
  readonly date: string;
  readonly rows: number;
  readonly bytes: number;
  readonly first: bigint;
  readonly last: bigint;
}

/** What one {@link OfflineWriter.write} did. */
export interface OfflineWriteResult {
  readonly written: readonly WrittenFile[];
  /** Records not written because a durable file already holds their offset (a replay after a crash). */
  readonly skipped: number;
  /** True when `stillOwned` turned false before every file was published; the rest was dropped. */
  readonly abandoned: boolean;
}

/** Options of {@link OfflineWriter}. */
export interface OfflineWriterOptions {
  /** Root directory of the offline store (`<root>/<kind>/date=YYYY-MM-DD/...`). */
  readonly root: string;
}

/** Options of one {@link OfflineWriter.write}. */
export interface OfflineWriteOptions {
  /** Checked before each file is published; false abandons the rest (partition revoked). @defaultValue always true */
  readonly stillOwned?: () => boolean;
}

function groupByDate(kind: RecordKind, entries: readonly OffsetRecord[]): Map<string, OffsetRecord[]> {
  const byDate = new Map<string, OffsetRecord[]>();
  for (const entry of entries) {
    const date = utcDateOf(eventTimeOf(kind, entry.record));
    const list = byDate.get(date) ?? [];
    list.push(entry);
    byDate.set(date, list);
  }
  return byDate;
}

/** Lowest and highest offset of non-empty `entries` (in whatever order). */
function offsetBounds(entries: readonly OffsetRecord[]): [bigint, bigint] {
  let low = entries[0].offset;
  let high = low;
  for (const { offset } of entries) {
    if (offset < low) {
      low = offset;
    } else if (offset > high) {
      high = offset;
    }
  }
  return [low, high];
}

/**
 * Writes records of one topic-partition into the offline store, one file per event date, each
 * named by the partition and the first and last offset it holds and published atomically
 * (temp, fsync, rename, fsync dir). Records whose offset already lies in a durable file of the
 * same date and partition are skipped, so re-reading a partition after a crash or a rebalance
 * never stores a record twice. The ranges are re-read from disk on every call (not cached), so
 * files another instance published for the partition before it moved here count too.
 */
export class OfflineWriter {
  private readonly root: string;

  /** @throws FeatureStoreError `FS_OPTIONS_INVALID` on an empty root. */
  constructor(options: OfflineWriterOptions) {
    if (typeof options.root !== 'string' || options.root.trim() === '') {
      throw invalidOption('root', 'must be a non-empty directory path');
    }
    this.root = options.root;
  }

  /**
   * Writes `entries` (records of `kind` read from `topic`/`partition`, in offset order).
   * @throws FeatureStoreError `FS_PATH_INVALID` (bad topic), `FS_READ_FAILED`, `FS_WRITE_FAILED`.
   */
  async write(
    kind: RecordKind,
    topic: string,
    partition: number,
    entries: readonly OffsetRecord[],
    options: OfflineWriteOptions = {},
  ): Promise<OfflineWriteResult> {
    checkTopic(topic);
    const byDate = groupByDate(kind, entries);
    if (byDate.size === 0) {
      return { written: [], skipped: 0, abandoned: false };
    }
    const existing = await listOfflineFiles(this.root, kind, { dates: new Set(byDate.keys()), topic, partition });
    const written: WrittenFile[] = [];
    let skipped = 0;
    for (const [date, dated] of [...byDate.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      // Only files overlapping this batch's offsets can cover one of them: in steady state none
      // does, and a day's files of a partition run into the thousands before compaction, so the
      // per-entry check must not scan them all (entries × files BigInt comparisons per flush).
      const [low, high] = offsetBounds(dated);
      const durable = existing.filter((file) => file.date === date && file.last >= low && file.first <= high);
      const fresh = durable.length === 0 ? dated : dated.filter((entry) => !coveredBy(durable, entry.offset));
      skipped += dated.length - fresh.length;
      if (fresh.length === 0) {
        continue;
      }
      const file = await this.writeDate(kind, topic, partition, date, fresh, options);
      if (file === undefined) {
        return { written, skipped, abandoned: true };
      }
      written.push(file);
    }
    return { written, skipped, abandoned: false };
  }

  private async writeDate(
    kind: RecordKind,
    topic: string,
    partition: number,
    date: string,
    entries: readonly OffsetRecord[],
    options: OfflineWriteOptions,
  ): Promise<WrittenFile | undefined> {
    const [first, last] = offsetBounds(entries);
    const bytes = encodeOfflineFile(kind, entries.map((e) => e.record), [{ first, last }]);
    const path = join(dateDir(this.root, kind, date), offlineFileName({ topic, partition, first, last }));
    const published = await writeFileAtomic(path, bytes, { beforePublish: options.stillOwned }).catch((error: unknown) => {
      throw new FeatureStoreError('FS_WRITE_FAILED', `cannot write ${path}`, { cause: error });
    });
    return published ? { path, date, rows: entries.length, bytes: bytes.byteLength, first, last } : undefined;
  }
}
