import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

import { FeatureStoreError } from '../errors.js';
import { kindDir, parseDateDir, parseOfflineFileName, type OfflineFile } from './offline-layout.js';
import type { RecordKind } from './record-kinds.js';

/** Which files {@link listOfflineFiles} returns. */
export interface OfflineFileFilter {
  /** Only these dates (`YYYY-MM-DD`). @defaultValue every date */
  readonly dates?: ReadonlySet<string>;
  /** Only dates within `[fromDate, toDate]` (inclusive, `YYYY-MM-DD`). @defaultValue unbounded */
  readonly fromDate?: string;
  readonly toDate?: string;
  /** Only files of this topic-partition. @defaultValue every topic-partition */
  readonly topic?: string;
  readonly partition?: number;
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}

async function readDirOrEmpty(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (error) {
    if (isMissing(error)) {
      return [];
    }
    throw new FeatureStoreError('FS_READ_FAILED', `cannot list ${path}`, { cause: error });
  }
}

function dateWanted(date: string, filter: OfflineFileFilter): boolean {
  if (filter.dates !== undefined && !filter.dates.has(date)) {
    return false;
  }
  if (filter.fromDate !== undefined && date < filter.fromDate) {
    return false;
  }
  return filter.toDate === undefined || date <= filter.toDate;
}

/**
 * Every offline file of `kind` on disk (temp files and foreign names ignored), sorted by date,
 * topic, partition and first offset. Includes files a compaction has superseded but not yet
 * deleted; {@link visibleFiles} removes those. A missing store is empty.
 * @throws FeatureStoreError `FS_READ_FAILED` when a directory cannot be listed.
 */
export async function listOfflineFiles(root: string, kind: RecordKind, filter: OfflineFileFilter = {}): Promise<OfflineFile[]> {
  const base = kindDir(root, kind);
  const files: OfflineFile[] = [];
  for (const dirName of await readDirOrEmpty(base)) {
    const date = parseDateDir(dirName);
    if (date === undefined || !dateWanted(date, filter)) {
      continue;
    }
    for (const name of await readDirOrEmpty(join(base, dirName))) {
      const id = parseOfflineFileName(name);
      if (id === undefined) {
        continue;
      }
      if ((filter.topic !== undefined && id.topic !== filter.topic) || (filter.partition !== undefined && id.partition !== filter.partition)) {
        continue;
      }
      files.push({ ...id, kind, date, path: join(base, dirName, name) });
    }
  }
  return files.sort(compareFiles);
}

function compareFiles(a: OfflineFile, b: OfflineFile): number {
  if (a.date !== b.date) {
    return a.date < b.date ? -1 : 1;
  }
  if (a.topic !== b.topic) {
    return a.topic < b.topic ? -1 : 1;
  }
  if (a.partition !== b.partition) {
    return a.partition - b.partition;
  }
  if (a.first !== b.first) {
    return a.first < b.first ? -1 : 1;
  }
  // Wider first: a compacted file sorts before the inputs it covers.
  return a.last > b.last ? -1 : a.last < b.last ? 1 : 0;
}

function groupKey(file: OfflineFile): string {
  return `${file.date}\u0000${file.topic}\u0000${file.partition}`;
}

/**
 * Drops files whose offset range lies inside another file's range of the same date and
 * topic-partition: a compaction writes the merged file before it deletes the inputs, and a
 * reader between the two steps must not count those rows twice. Writers never produce
 * overlapping ranges for one date and partition otherwise (records inside a durable range are
 * skipped), so containment means "superseded".
 */
export function visibleFiles(files: readonly OfflineFile[]): OfflineFile[] {
  const sorted = [...files].sort(compareFiles);
  const out: OfflineFile[] = [];
  let cover: OfflineFile | undefined;
  for (const file of sorted) {
    if (cover !== undefined && groupKey(cover) === groupKey(file) && file.last <= cover.last) {
      continue;
    }
    out.push(file);
    if (cover === undefined || groupKey(cover) !== groupKey(file) || file.last > cover.last) {
      cover = file;
    }
  }
  return out;
}

/** Whether `offset` lies in the range of one of `files` (already filtered to a date and topic-partition). */
export function coveredBy(files: readonly OfflineFile[], offset: bigint): boolean {
  return files.some((file) => offset >= file.first && offset <= file.last);
}
