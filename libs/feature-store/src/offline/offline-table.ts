import { readFile } from 'node:fs/promises';

import { readIpc, recordsToTable, tableToRecords, writeIpcFile } from '@metarec/schemas';
import { RecordBatch, Schema, Table } from 'apache-arrow';

import { FeatureStoreError } from '../errors.js';
import { decodeRanges, encodeRanges, OFFSET_RANGES_METADATA_KEY, type OffsetRange } from './offline-layout.js';
import { recordKindSpec, type RecordKind, type StoreRecord } from './record-kinds.js';

/** `table` with the offset ranges it holds added to its schema metadata (next to the fingerprint). */
function withOffsetRanges(table: Table, ranges: readonly OffsetRange[]): Table {
  const metadata = new Map(table.schema.metadata);
  metadata.set(OFFSET_RANGES_METADATA_KEY, encodeRanges(ranges));
  const schema = new Schema(table.schema.fields, metadata);
  return new Table(table.batches.map((batch) => new RecordBatch(schema, batch.data)));
}

/**
 * The IPC file bytes of records of one kind that hold the given offset ranges: the kind's
 * schema (fingerprint in the metadata) plus {@link OFFSET_RANGES_METADATA_KEY}. Records must be
 * validated already (they come out of a validator in ingest, out of a file in compaction).
 */
export function encodeOfflineFile(kind: RecordKind, records: readonly StoreRecord[], ranges: readonly OffsetRange[]): Uint8Array {
  const { schema } = recordKindSpec(kind);
  const table = recordsToTable(schema, records as readonly never[], { validate: false });
  return writeIpcFile(withOffsetRanges(table, ranges));
}

/** An offline file's table (verified against the kind's schema fingerprint) and its offset ranges. */
export interface DecodedOfflineFile {
  readonly table: Table;
  readonly ranges: readonly OffsetRange[];
}

/**
 * Decodes offline file bytes. The table's columns are views over `bytes` (no copy).
 * @throws FeatureStoreError `FS_READ_FAILED` (cause: the schemas lib's `SchemaFileError`) on a
 * file of another schema or version, or one without offset ranges.
 */
export function decodeOfflineFile(kind: RecordKind, bytes: Uint8Array, path: string): DecodedOfflineFile {
  const { schema } = recordKindSpec(kind);
  let table: Table;
  try {
    table = readIpc(bytes, schema).table;
  } catch (error) {
    throw new FeatureStoreError('FS_READ_FAILED', `${path} is not a readable ${schema.name} file`, { cause: error });
  }
  const ranges = decodeRanges(table.schema.metadata.get(OFFSET_RANGES_METADATA_KEY));
  if (ranges === undefined) {
    throw new FeatureStoreError('FS_READ_FAILED', `${path} lacks valid ${OFFSET_RANGES_METADATA_KEY} metadata`);
  }
  return { table, ranges };
}

/** Reads and decodes one offline file. @throws FeatureStoreError `FS_READ_FAILED`. */
export async function readOfflineFile(kind: RecordKind, path: string): Promise<DecodedOfflineFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new FeatureStoreError('FS_READ_FAILED', `cannot read ${path}`, { cause: error });
  }
  return decodeOfflineFile(kind, bytes, path);
}

/** The typed records of a decoded table (no re-validation: files are validated on write). */
export function offlineRecords(kind: RecordKind, table: Table): StoreRecord[] {
  return tableToRecords(recordKindSpec(kind).schema, table, { validate: false }) as unknown as StoreRecord[];
}
