import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { FeatureStoreError, invalidOption } from '../errors.js';
import { ATOMIC_WRITE_TEMP_PATTERN, mergeOptions, writeFileAtomic } from '@metarec/runtime';
import { dateDir, kindDir, offlineFileName, parseDateDir, unionRanges, type OfflineFile, type OffsetRange } from './offline-layout.js';
import { encodeOfflineFile, offlineRecords, readOfflineFile } from './offline-table.js';
import type { RecordKind, StoreRecord } from './record-kinds.js';
import { listOfflineFiles, visibleFiles } from './store-files.js';

/** Options of {@link compactOfflineStore}. */
export interface CompactOptions {
  /** Root directory of the offline store. */
  readonly root: string;
  readonly kind: RecordKind;
  /** Only this date (`YYYY-MM-DD`). @defaultValue every date */
  readonly date?: string;
  /** A date and topic-partition is compacted once it has at least this many files. @defaultValue 2 */
  readonly minFiles?: number;
  /**
   * Temp files (`.<name>.tmp-*`) older than this are leftovers of a writer killed mid-write and
   * are deleted; a live writer holds one for milliseconds. @defaultValue `3_600_000` (1 h)
   */
  readonly staleTempMs?: number;
  /** Clock, epoch ms. @defaultValue `Date.now` */
  readonly now?: () => number;
}

/** Defaults laid under {@link CompactOptions}. */
export const DEFAULT_COMPACT_OPTIONS = { minFiles: 2, staleTempMs: 3_600_000 } as const;

/** What {@link compactOfflineStore} did. */
export interface CompactReport {
  /** Files written, one per compacted date and topic-partition. */
  readonly written: readonly string[];
  /** Input files deleted after their compacted file was durable (plus leftovers of an interrupted compaction). */
  readonly deleted: readonly string[];
  /** Stale temp files removed. */
  readonly tempFilesRemoved: readonly string[];
  readonly rows: number;
}

function groupKey(file: OfflineFile): string {
  return `${file.date}\u0000${file.topic}\u0000${file.partition}`;
}

async function compactGroup(root: string, kind: RecordKind, files: readonly OfflineFile[]): Promise<{ path: string; rows: number }> {
  const records: StoreRecord[] = [];
  const ranges: OffsetRange[] = [];
  for (const file of files) {
    const decoded = await readOfflineFile(kind, file.path);
    records.push(...offlineRecords(kind, decoded.table));
    ranges.push(...decoded.ranges);
  }
  const union = unionRanges(ranges);
  const first = union[0].first;
  const last = union[union.length - 1].last;
  const { topic, partition, date } = files[0];
  const path = join(dateDir(root, kind, date), offlineFileName({ topic, partition, first, last }));
  try {
    await writeFileAtomic(path, encodeOfflineFile(kind, records, union));
  } catch (error) {
    throw new FeatureStoreError('FS_WRITE_FAILED', `cannot write compacted file ${path}`, { cause: error });
  }
  return { path, rows: records.length };
}

async function remove(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    try {
      await rm(path, { force: true });
    } catch (error) {
      throw new FeatureStoreError('FS_WRITE_FAILED', `cannot delete compacted input ${path}`, { cause: error });
    }
  }
}

async function removeStaleTemps(root: string, kind: RecordKind, date: string | undefined, olderThanMs: number): Promise<string[]> {
  const base = kindDir(root, kind);
  const removed: string[] = [];
  let dirs: string[];
  try {
    dirs = (await readdir(base)).filter((name) => parseDateDir(name) !== undefined && (date === undefined || parseDateDir(name) === date));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') {
      return removed;
    }
    throw new FeatureStoreError('FS_READ_FAILED', `cannot list ${base}`, { cause: error });
  }
  for (const dir of dirs) {
    for (const name of await readdir(join(base, dir))) {
      const path = join(base, dir, name);
      if (ATOMIC_WRITE_TEMP_PATTERN.test(name) && (await stat(path)).mtimeMs < olderThanMs) {
        await remove([path]);
        removed.push(path);
      }
    }
  }
  return removed;
}

/**
 * Merges the small files of each date and topic-partition into one file whose name spans the
 * merged range and whose metadata lists the exact union of the inputs' ranges. The merged file
 * is published (atomically) before the inputs are deleted; in between, readers hide the inputs
 * because the merged range contains theirs, so no reader sees a row twice or misses one.
 * Re-running after a crash finishes the deletions; temp files a killed writer left behind are
 * removed once stale. Run it from one process at a time (e.g. a CronJob, `apps/ingest` compact).
 * @throws FeatureStoreError `FS_OPTIONS_INVALID`, `FS_READ_FAILED`, `FS_WRITE_FAILED`.
 */
export async function compactOfflineStore(options: CompactOptions): Promise<CompactReport> {
  const merged = mergeOptions(DEFAULT_COMPACT_OPTIONS, options);
  if (!Number.isSafeInteger(merged.minFiles) || merged.minFiles < 2) {
    throw invalidOption('minFiles', `must be an integer >= 2, got ${merged.minFiles}`);
  }
  if (!Number.isSafeInteger(merged.staleTempMs) || merged.staleTempMs < 0) {
    throw invalidOption('staleTempMs', `must be a non-negative integer, got ${merged.staleTempMs}`);
  }
  const tempFilesRemoved = await removeStaleTemps(merged.root, merged.kind, merged.date, (merged.now ?? Date.now)() - merged.staleTempMs);
  const filter = merged.date === undefined ? {} : { dates: new Set([merged.date]) };
  const all = await listOfflineFiles(merged.root, merged.kind, filter);
  const visible = visibleFiles(all);
  const hidden = all.filter((file) => !visible.includes(file)).map((file) => file.path);
  const groups = new Map<string, OfflineFile[]>();
  for (const file of visible) {
    groups.set(groupKey(file), [...(groups.get(groupKey(file)) ?? []), file]);
  }
  const written: string[] = [];
  const deleted: string[] = [...hidden];
  let rows = 0;
  await remove(hidden);
  for (const files of groups.values()) {
    if (files.length < merged.minFiles) {
      continue;
    }
    const result = await compactGroup(merged.root, merged.kind, files);
    written.push(result.path);
    rows += result.rows;
    const inputs = files.map((file) => file.path).filter((path) => path !== result.path);
    await remove(inputs);
    deleted.push(...inputs);
  }
  return { written, deleted, tempFilesRemoved, rows };
}
