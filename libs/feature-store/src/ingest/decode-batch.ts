import type { OffsetRecord } from '../offline/offline-writer.js';
import type { RecordKind } from '../offline/record-kinds.js';
import type { DeadLetter } from './dead-letter.js';
import type { IngestMessage } from './ingest-message.js';
import { decodeMessage, type DecodeOptions } from './message-decoder.js';

/**
 * Interaction payloads up to this many characters are stored online as received (they
 * validated, and unknown fields are rejected, so they hold exactly the record's fields) instead
 * of re-serialised (~0.6 µs per event); a longer one (whitespace padding) is re-serialised so
 * Redis keeps compact JSON.
 */
const STORE_PAYLOAD_MAX_CHARS = 2_048;

/** The payload text to store online as is, when it is an interaction's and short. */
export function storableJson(kind: RecordKind, json: string): string | undefined {
  return kind === 'interactions' && json.length <= STORE_PAYLOAD_MAX_CHARS ? json : undefined;
}

/** A message that passed validation, its record and the text it was parsed from. */
export interface Accepted {
  readonly message: IngestMessage;
  readonly record: OffsetRecord['record'];
  readonly json: string;
}

/** Splits messages of one kind into accepted records and dead letters (stamped `options.nowMs`). */
export function decodeBatch(kind: RecordKind, messages: readonly IngestMessage[], options: DecodeOptions): { accepted: Accepted[]; letters: DeadLetter[] } {
  const nowMs = options.nowMs;
  const accepted: Accepted[] = [];
  const letters: DeadLetter[] = [];
  for (const message of messages) {
    const result = decodeMessage(message, kind, options);
    if (result.ok) {
      accepted.push({ message, record: result.record, json: result.json });
    } else {
      letters.push({ message, reason: result.reason, field: result.field, detail: result.detail, failedAtMs: nowMs });
    }
  }
  return { accepted, letters };
}
