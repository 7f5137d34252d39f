// Errors.
export type { FeatureStoreErrorCode } from './errors.js';
export { FeatureStoreError } from './errors.js';

// Record kinds.
export type { RecordKind, RecordKindSpec, RecordOfKind, StoreRecord } from './offline/record-kinds.js';
export { eventTimeOf, RECORD_KINDS, recordKindSpec } from './offline/record-kinds.js';

// Offline store: layout, writer, reader, compaction.
export type { OfflineFile, OfflineFileId, OffsetRange } from './offline/offline-layout.js';
export { OFFSET_RANGES_METADATA_KEY, offlineFileName, parseOfflineFileName, utcDateOf } from './offline/offline-layout.js';
export type { OfflineWriteOptions, OfflineWriteResult, OfflineWriterOptions, OffsetRecord, WrittenFile } from './offline/offline-writer.js';
export { OfflineWriter } from './offline/offline-writer.js';
export type { DateRange, OfflinePartition, OfflineReaderOptions, PartitionWatermark } from './offline/offline-reader.js';
export { DEFAULT_OFFLINE_READER_OPTIONS, OfflineReader } from './offline/offline-reader.js';
export type { OfflineFileFilter } from './offline/store-files.js';
export type { CompactOptions, CompactReport } from './offline/compact-offline-store.js';
export { compactOfflineStore, DEFAULT_COMPACT_OPTIONS } from './offline/compact-offline-store.js';
export type { DecodedOfflineFile } from './offline/offline-table.js';
export { offlineRecords, readOfflineFile } from './offline/offline-table.js';

// Online store (Redis).
export type { OnlineBatch, OnlineStoreOptions, ScoredItem, UserContext } from './online/online-store.js';
export { DEFAULT_ONLINE_STORE_OPTIONS, OnlineStore } from './online/online-store.js';
