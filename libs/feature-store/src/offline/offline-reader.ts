import { open, type FileHandle } from 'node:fs/promises';

import { Table, type RecordBatch } from 'apache-arrow';

import { FeatureStoreError, invalidOption } from '../errors.js';
import { mergeOptions } from '@metarec/runtime';
import { checkDate, type OfflineFile } from './offline-layout.js';
import { decodeOfflineFile } from './offline-table.js';
import { recordKindSpec, type RecordKind } from './record-kinds.js';
import { listOfflineFiles, visibleFiles, type OfflineFileFilter } from './store-files.js';

/** A date partition of one record kind. */
export interface OfflinePartition {
  /** `YYYY-MM-DD` (UTC). */
  readonly date: string;
  /** Visible files (superseded compaction inputs excluded). */
  readonly files: number;
}

/** The highest offset durable in the offline store for one topic-partition. */
export interface PartitionWatermark {
  readonly topic: string;
  readonly partition: number;
  /** Highest offset held by a durable file (inclusive). */
  readonly offset: bigint;
}

/** Options of {@link OfflineReader}. */
export interface OfflineReaderOptions {
  /** Root directory of the offline store. */
  readonly root: string;
  /**
   * Times a read lists the files again when one vanished between listing and opening (a
   * compaction deleted its inputs); each retry sees the compacted file instead.
   * @defaultValue 5
   */
  readonly maxListRetries?: number;
}

/** Defaults laid under {@link OfflineReaderOptions}. */
export const DEFAULT_OFFLINE_READER_OPTIONS = { maxListRetries: 5 } as const;

/** A date range, both ends inclusive, `YYYY-MM-DD`. */
export interface DateRange {
  readonly fromDate: string;
  readonly toDate: string;
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}

/**
 * Reads the offline store: date partitions, Arrow tables of a date range, per-partition
 * watermarks. Safe to use while ingest writes and compaction runs: files are published
 * atomically, superseded compaction inputs are hidden, and all files of a read are opened
 * before any is read (an open file survives its deletion), retrying the listing when one
 * disappeared first.
 */
export class OfflineReader {
  private readonly root: string;
  private readonly maxListRetries: number;

  /** @throws FeatureStoreError `FS_OPTIONS_INVALID`. */
  constructor(options: OfflineReaderOptions) {
    const merged = mergeOptions(DEFAULT_OFFLINE_READER_OPTIONS, options);
    if (typeof merged.root !== 'string' || merged.root.trim() === '') {
      throw invalidOption('root', 'must be a non-empty directory path');
    }
    if (!Number.isSafeInteger(merged.maxListRetries) || merged.maxListRetries < 0) {
      throw invalidOption('maxListRetries', `must be a non-negative integer, got ${merged.maxListRetries}`);
    }
    this.root = merged.root;
    this.maxListRetries = merged.maxListRetries;
  }

  /** Date partitions of `kind` holding at least one file, oldest first. */
  async listPartitions(kind: RecordKind): Promise<OfflinePartition[]> {
    const counts = new Map<string, number>();
    for (const file of visibleFiles(await listOfflineFiles(this.root, kind))) {
      counts.set(file.date, (counts.get(file.date) ?? 0) + 1);
    }
    return [...counts.entries()].map(([date, files]) => ({ date, files }));
  }

  /** Visible files of `kind` matching `filter`. */
  async listFiles(kind: RecordKind, filter: OfflineFileFilter = {}): Promise<OfflineFile[]> {
    return visibleFiles(await listOfflineFiles(this.root, kind, filter));
  }

  /**
   * Per topic-partition, the highest offset held by a durable file of `kind`. A training run
   * records these as the version of the data it read.
   */
  async watermarks(kind: RecordKind): Promise<PartitionWatermark[]> {
    const best = new Map<string, PartitionWatermark>();
    for (const file of await listOfflineFiles(this.root, kind)) {
      const key = `${file.topic}\u0000${file.partition}`;
      const current = best.get(key);
      if (current === undefined || file.last > current.offset) {
        best.set(key, { topic: file.topic, partition: file.partition, offset: file.last });
      }
    }
    return [...best.values()].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  }

  /**
   * Every row of `kind` with an event date in `range`, as one table whose record batches are
   * views over the files' bytes (no row decoding, no copy). Batches keep their own dictionaries.
   * @throws FeatureStoreError `FS_PATH_INVALID` (bad dates), `FS_READ_FAILED`.
   */
  async readRange(kind: RecordKind, range: DateRange): Promise<Table> {
    checkDate(range.fromDate);
    checkDate(range.toDate);
    const handles = await this.openVisible(kind, { fromDate: range.fromDate, toDate: range.toDate });
    const batches: RecordBatch[] = [];
    try {
      for (const { file, handle } of handles) {
        const bytes = await handle.readFile();
        batches.push(...decodeOfflineFile(kind, bytes, file.path).table.batches);
      }
    } finally {
      await Promise.all(handles.map(({ handle }) => handle.close()));
    }
    return batches.length === 0 ? new Table(recordKindSpec(kind).schema.arrowSchema) : new Table(batches);
  }

  private async openVisible(kind: RecordKind, filter: OfflineFileFilter): Promise<{ file: OfflineFile; handle: FileHandle }[]> {
    for (let attempt = 0; ; attempt += 1) {
      const files = await this.listFiles(kind, filter);
      const opened: { file: OfflineFile; handle: FileHandle }[] = [];
      let vanished: unknown;
      for (const file of files) {
        try {
          opened.push({ file, handle: await open(file.path, 'r') });
        } catch (error) {
          vanished = error;
          break;
        }
      }
      if (vanished === undefined) {
        return opened;
      }
      await Promise.all(opened.map(({ handle }) => handle.close()));
      if (!isMissing(vanished) || attempt >= this.maxListRetries) {
        throw new FeatureStoreError('FS_READ_FAILED', `cannot open the files of ${kind}`, { cause: vanished });
      }
    }
  }
}
