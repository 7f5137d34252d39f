import type { RecordKind, RecordOfKind } from '../offline/record-kinds.js';

/** Records of one kind read from one topic-partition, in offset order. */
export interface OnlineBatch<K extends RecordKind = RecordKind> {
  readonly kind: K;
  readonly topic: string;
  readonly partition: number;
  readonly entries: readonly OnlineEntry<K>[];
}

/** A record, the offset it was read at, and optionally its canonical JSON. */
export interface OnlineEntry<K extends RecordKind = RecordKind> {
  readonly offset: bigint;
  readonly record: RecordOfKind[K];
  /**
   * `JSON.stringify(record)` already computed (the decoder's canonical `json`), stored instead of
   * serialising the record again. Never the received payload: duplicate keys or escapes in it
   * would read differently to other readers (issue 17).
   */
  readonly json?: string;
}
