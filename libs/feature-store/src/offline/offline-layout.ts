import { join } from 'node:path';

import { FeatureStoreError } from '../errors.js';
import type { RecordKind } from './record-kinds.js';

/** Kafka's legal topic characters; `.` and `..` alone are excluded (they are not names on disk). */
const TOPIC_PATTERN = /^[A-Za-z0-9._-]{1,249}$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const DATE_DIR_PATTERN = /^date=(\d{4}-\d{2}-\d{2})$/;
/** `<topic>-<partition>-<firstOffset>-<lastOffset>.arrow`, parsed from the right (topics may hold `-`). */
const FILE_PATTERN = /^(.+)-(\d+)-(\d+)-(\d+)\.arrow$/;

/** Schema-metadata key of an offline file listing the offset ranges it holds (JSON `[["first","last"], ...]`). */
export const OFFSET_RANGES_METADATA_KEY = 'metarec.store.offset_ranges';

/** An inclusive range of Kafka offsets. */
export interface OffsetRange {
  readonly first: bigint;
  readonly last: bigint;
}

/** What an offline file's name says: which topic-partition and offset range, on which date. */
export interface OfflineFileId extends OffsetRange {
  readonly topic: string;
  readonly partition: number;
}

/** An offline file found on disk. */
export interface OfflineFile extends OfflineFileId {
  readonly kind: RecordKind;
  /** `YYYY-MM-DD` (UTC) of the records' event time. */
  readonly date: string;
  /** Absolute path. */
  readonly path: string;
}

/** `YYYY-MM-DD` of an epoch-ms time, in UTC. */
export function utcDateOf(epochMs: number): string {
  // Memo of the last day: ingest asks once per record and a batch is almost always one day;
  // Date#toISOString cost 0.5 µs per record (3% of ingest CPU, tools/bench ingest-profile).
  const day = Math.floor(epochMs / MS_PER_DAY);
  if (day === lastDay.day) {
    return lastDay.date;
  }
  const date = new Date(epochMs).toISOString().slice(0, 10);
  lastDay = { day, date };
  return date;
}

const MS_PER_DAY = 86_400_000;
let lastDay = { day: Number.NaN, date: '' };

/** @throws FeatureStoreError `FS_PATH_INVALID` unless `topic` is a legal Kafka topic name. */
export function checkTopic(topic: string): void {
  if (!TOPIC_PATTERN.test(topic) || topic === '.' || topic === '..') {
    throw new FeatureStoreError('FS_PATH_INVALID', `"${topic}" is not a legal Kafka topic name`);
  }
}

/** @throws FeatureStoreError `FS_PATH_INVALID` unless `date` is `YYYY-MM-DD`. */
export function checkDate(date: string): void {
  if (!DATE_PATTERN.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new FeatureStoreError('FS_PATH_INVALID', `"${date}" is not a YYYY-MM-DD date`);
  }
}

/** `<root>/<kind>`. */
export function kindDir(root: string, kind: RecordKind): string {
  return join(root, kind);
}

/** `<root>/<kind>/date=YYYY-MM-DD`. */
export function dateDir(root: string, kind: RecordKind, date: string): string {
  checkDate(date);
  return join(root, kind, `date=${date}`);
}

/** The date of a `date=YYYY-MM-DD` directory name, or undefined for anything else. */
export function parseDateDir(name: string): string | undefined {
  return DATE_DIR_PATTERN.exec(name)?.[1];
}

/** `<topic>-<partition>-<firstOffset>-<lastOffset>.arrow`. @throws FeatureStoreError `FS_PATH_INVALID`. */
export function offlineFileName(id: OfflineFileId): string {
  checkTopic(id.topic);
  if (!Number.isSafeInteger(id.partition) || id.partition < 0 || id.first < 0n || id.last < id.first) {
    throw new FeatureStoreError('FS_PATH_INVALID', `bad file id ${id.topic}[${id.partition}] ${id.first}..${id.last}`);
  }
  return `${id.topic}-${id.partition}-${id.first}-${id.last}.arrow`;
}

/** The id in an offline file name, or undefined for other names (temp files start with `.`). */
export function parseOfflineFileName(name: string): OfflineFileId | undefined {
  if (name.startsWith('.')) {
    return undefined;
  }
  const match = FILE_PATTERN.exec(name);
  if (match === null) {
    return undefined;
  }
  const [, topic, partition, first, last] = match;
  const id = { topic, partition: Number(partition), first: BigInt(first), last: BigInt(last) };
  if (!TOPIC_PATTERN.test(topic) || !Number.isSafeInteger(id.partition) || id.last < id.first) {
    return undefined;
  }
  return id;
}

/** Ranges as stored in {@link OFFSET_RANGES_METADATA_KEY}. */
export function encodeRanges(ranges: readonly OffsetRange[]): string {
  return JSON.stringify(ranges.map((r) => [r.first.toString(), r.last.toString()]));
}

/** Inverse of {@link encodeRanges}; undefined when the text is not a list of offset pairs. */
export function decodeRanges(text: string | undefined): OffsetRange[] | undefined {
  if (text === undefined) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) {
    return undefined;
  }
  const ranges: OffsetRange[] = [];
  for (const pair of parsed) {
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => typeof v === 'string' && /^\d+$/.test(v))) {
      return undefined;
    }
    ranges.push({ first: BigInt(pair[0] as string), last: BigInt(pair[1] as string) });
  }
  return ranges;
}

/** Sorted union of ranges; overlapping and adjacent ranges (`0-3`, `4-6`) merge into one. */
export function unionRanges(ranges: readonly OffsetRange[]): OffsetRange[] {
  const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: OffsetRange[] = [];
  for (const range of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && range.first <= last.last + 1n) {
      out[out.length - 1] = { first: last.first, last: range.last > last.last ? range.last : last.last };
      continue;
    }
    out.push(range);
  }
  return out;
}
