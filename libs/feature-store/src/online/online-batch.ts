import type { RecordKind, RecordOfKind } from '../offline/record-kinds.js';

/** Records of one kind read from one topic-partition, in offset order. */
export interface OnlineBatch<K extends RecordKind = RecordKind> {
  readonly kind: K;
  readonly topic: string;
  readonly partition: number;
  readonly entries: readonly OnlineEntry<K>[];
}

/** A record, the offset it was read at, and optionally the JSON text it was validated from. */
export interface OnlineEntry<K extends RecordKind = RecordKind> {
  readonly offset: bigint;
  readonly record: RecordOfKind[K];
  /**
   * The JSON text that validated into `record` (the Kafka payload), stored as is instead of
   * re-serialising the record (interactions only; saves ~0.8 µs per event). Omit it unless it
   * holds exactly the record's fields (unknown fields rejected, not stripped) and is small.
   */
  readonly json?: string;
}
