// Errors.
export type { FeatureStoreErrorCode } from './errors.js';
export { FeatureStoreError } from './errors.js';

// Record kinds.
export type { RecordKind, RecordOfKind, StoreRecord } from './offline/record-kinds.js';
export { RECORD_KINDS } from './offline/record-kinds.js';

// Offline store: layout, writer, reader, compaction.
export type { OfflineFile, OfflineFileId, OffsetRange } from './offline/offline-layout.js';
export { utcDateOf } from './offline/offline-layout.js';
export type { OfflineWriteOptions, OfflineWriteResult, OfflineWriterOptions, OffsetRecord, WrittenFile } from './offline/offline-writer.js';
export { OfflineWriter } from './offline/offline-writer.js';
export type { DateRange, OfflinePartition, OfflineReaderOptions, PartitionWatermark } from './offline/offline-reader.js';
export { OfflineReader } from './offline/offline-reader.js';
export type { OfflineFileFilter } from './offline/store-files.js';
export type { CompactOptions, CompactReport } from './offline/compact-offline-store.js';
export { compactOfflineStore } from './offline/compact-offline-store.js';
export { offlineRecords } from './offline/offline-table.js';

// Online store (Redis).
export type { OnlineBatch, OnlineEntry } from './online/online-batch.js';
export type { OnlineStoreOptions, ScoredItem, UserContext } from './online/online-store.js';
export { OnlineStore } from './online/online-store.js';
export type { NearCacheStats, UserContextNearCacheOptions } from './online/user-context-near-cache.js';
export { UserContextNearCache } from './online/user-context-near-cache.js';

// Co-occurrence rebuild job (offline store → online `co:<item>` sets; replaces per-event counting).
export type { RebuildCoOccurrenceOptions, RebuildCoOccurrenceReport } from './co-occurrence/rebuild-co-occurrence.js';
export { rebuildCoOccurrence } from './co-occurrence/rebuild-co-occurrence.js';

// Ingest: Kafka batches → wire-contract decoding (`@metarec/schemas`) → dead letters, online store,
// offline store, commits.
export type { IngestBatch, IngestMessage } from './ingest/ingest-message.js';
export type { DeadLetterSink } from './ingest/dead-letter.js';
export type { LogDecision } from './ingest/rate-limited-log.js';
export { RateLimitedLog } from './ingest/rate-limited-log.js';
export { IngestMetrics } from './ingest/ingest-metrics.js';
export type { IngestPipelineOptions, IngestTopics, OfflineSink, OffsetCommitter, OnlineSink } from './ingest/ingest-pipeline-options.js';
export { IngestPipeline } from './ingest/ingest-pipeline.js';
export type { StuckPartition } from './ingest/partition-progress.js';
