import { decodeRecord, type DeadLetter } from '@metarec/schemas';

import type { OffsetRecord } from '../offline/offline-writer.js';
import { recordKindSpec, type RecordKind, type StoreRecord } from '../offline/record-kinds.js';
import type { IngestMessage } from './ingest-message.js';

/** A message that passed validation, its record and the record's canonical JSON. */
export interface Accepted {
  readonly message: IngestMessage;
  readonly record: OffsetRecord['record'];
  readonly json: string;
}

/** Options of {@link decodeBatch}. */
export interface DecodeBatchOptions {
  /** Larger payloads are dead-lettered (`FS_MESSAGE_TOO_LARGE`), bytes. */
  readonly maxMessageBytes: number;
  /** Clock for validation and the dead letters' time, epoch ms. */
  readonly nowMs: number;
}

/**
 * Splits messages of one kind into accepted records and dead letters (stamped `options.nowMs`),
 * decoding each through the wire contract (`decodeRecord` of `@metarec/schemas`).
 */
export function decodeBatch(kind: RecordKind, messages: readonly IngestMessage[], options: DecodeBatchOptions): { accepted: Accepted[]; letters: DeadLetter<IngestMessage>[] } {
  const { schema } = recordKindSpec(kind);
  const nowMs = options.nowMs;
  const accepted: Accepted[] = [];
  const letters: DeadLetter<IngestMessage>[] = [];
  for (const message of messages) {
    const result = decodeRecord(schema, message, options);
    if (result.ok) {
      // The kind's schema validated it, so it is that kind's record.
      accepted.push({ message, record: result.record as unknown as StoreRecord, json: result.json });
    } else {
      letters.push({ message, reason: result.reason, field: result.field, detail: result.detail, failedAtMs: nowMs });
    }
  }
  return { accepted, letters };
}
