import { createHash } from 'node:crypto';

import { SchemaError } from '../errors/schema-error.js';
import type { WireRejectReason } from './decode-record.js';

/**
 * Headers a dead-lettered message carries beside its original ones. Ingest writes them; whoever
 * triages or replays the dead-letter topic reads them.
 */
export const DEAD_LETTER_HEADERS = {
  reason: 'dlq-reason',
  field: 'dlq-field',
  detail: 'dlq-detail',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  failedAt: 'dlq-failed-at',
  /** Byte length of the original payload (absent when it had none). */
  originalBytes: 'dlq-original-bytes',
  /** SHA-256 (hex) of the original payload, to match a truncated letter with its source. */
  originalSha256: 'dlq-original-sha256',
  /** `'true'` when the record was cut to fit the dead-letter topic (payload prefix kept, and if needed original headers dropped, key cut). */
  truncated: 'dlq-truncated',
} as const;

/** Details longer than this are cut: a header is for triage. */
const MAX_DETAIL_CHARS = 512;

/**
 * Kafka record-batch overhead counted against a topic's `max.message.bytes`: the v2 batch header
 * (61 bytes) plus the largest varints of one record (length, timestamp and offset deltas, key and
 * value lengths, header count: 5 + 1 + 10 + 5 + 5 + 5 + 5).
 */
const RECORD_OVERHEAD_BYTES = 61 + 36;
/** Largest varints of one header (key and value lengths). */
const HEADER_OVERHEAD_BYTES = 10;

/**
 * The smallest `maxBytes` a dead letter can be sized to: the `dlq-*` headers (a 512-character
 * detail that may be 4 bytes per character, topic name up to 249) plus overhead, rounded up.
 */
export const MIN_DEAD_LETTER_BYTES = 4_096;

/** The consumed message a dead letter came from (a `ConsumedMessage` of `@metarec/streaming` fits). */
export interface DeadLetterSource {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offsets are int64. */
  readonly offset: bigint;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

/** A message that failed decoding, with why and where. */
export interface DeadLetter<M extends DeadLetterSource = DeadLetterSource> {
  readonly message: M;
  readonly reason: WireRejectReason;
  /** Offending field path, `''` for the record or payload as a whole. */
  readonly field: string;
  readonly detail: string;
  /** When it was rejected, epoch ms. */
  readonly failedAtMs: number;
}

/** A message for the dead-letter topic: the original key and bytes, original plus `dlq-*` headers. */
export interface DeadLetterRecord {
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

/** Options of {@link toDeadLetterRecord}. */
export interface DeadLetterRecordOptions {
  /**
   * The dead-letter topic's `max.message.bytes`: a record larger by {@link deadLetterRecordBytes}
   * is cut to fit (payload prefix first, then original headers dropped, then the key cut).
   * At least {@link MIN_DEAD_LETTER_BYTES}. @defaultValue no limit
   */
  readonly maxBytes?: number;
}

/**
 * An upper bound of the bytes `record` takes against a topic's `max.message.bytes` when sent
 * alone (one record batch, no compression); each further record of the same batch adds its own
 * bound minus the 61-byte batch header.
 */
export function deadLetterRecordBytes(record: DeadLetterRecord): number {
  let bytes = RECORD_OVERHEAD_BYTES + (record.key === null ? 0 : Buffer.byteLength(record.key)) + (record.value?.byteLength ?? 0);
  for (const [name, value] of Object.entries(record.headers)) {
    bytes += HEADER_OVERHEAD_BYTES + Buffer.byteLength(name) + Buffer.byteLength(value);
  }
  return bytes;
}

function dlqHeaders(letter: DeadLetter): Record<string, string> {
  const { message } = letter;
  const headers: Record<string, string> = {
    [DEAD_LETTER_HEADERS.reason]: letter.reason,
    [DEAD_LETTER_HEADERS.field]: letter.field,
    [DEAD_LETTER_HEADERS.detail]: letter.detail.slice(0, MAX_DETAIL_CHARS),
    [DEAD_LETTER_HEADERS.sourceTopic]: message.topic,
    [DEAD_LETTER_HEADERS.sourcePartition]: String(message.partition),
    [DEAD_LETTER_HEADERS.sourceOffset]: message.offset.toString(),
    [DEAD_LETTER_HEADERS.failedAt]: new Date(letter.failedAtMs).toISOString(),
  };
  if (message.value !== null) {
    headers[DEAD_LETTER_HEADERS.originalBytes] = String(message.value.byteLength);
    headers[DEAD_LETTER_HEADERS.originalSha256] = createHash('sha256').update(message.value).digest('hex');
  }
  return headers;
}

/** `text` cut to at most `bytes` UTF-8 bytes, on a character boundary. */
function cutUtf8(text: string, bytes: number): string {
  const encoded = Buffer.from(text, 'utf8');
  if (encoded.byteLength <= bytes) {
    return text;
  }
  let end = Math.max(0, bytes);
  // Back off continuation bytes (10xxxxxx) so no character is split.
  while (end > 0 && (encoded[end] & 0xc0) === 0x80) {
    end -= 1;
  }
  return encoded.subarray(0, end).toString('utf8');
}

/** `record` cut to `maxBytes`: payload prefix, then original headers dropped, then key cut. */
function fit(record: DeadLetterRecord, contract: Record<string, string>, maxBytes: number): DeadLetterRecord {
  const flagged = { ...record, headers: { ...record.headers, [DEAD_LETTER_HEADERS.truncated]: 'true' } };
  const withoutValue = deadLetterRecordBytes({ ...flagged, value: null });
  if (withoutValue <= maxBytes) {
    return { ...flagged, value: record.value?.subarray(0, maxBytes - withoutValue) ?? null };
  }
  const bare = { key: record.key, value: null, headers: { ...contract, [DEAD_LETTER_HEADERS.truncated]: 'true' } };
  const withoutKey = deadLetterRecordBytes({ ...bare, key: null });
  return { ...bare, key: record.key === null ? null : cutUtf8(record.key, maxBytes - withoutKey) };
}

/**
 * The dead-letter topic message of `letter`: the original key, payload and headers plus the
 * `dlq-*` headers (detail cut to 512 characters, time as ISO-8601, the payload's size and
 * SHA-256). With `maxBytes` it always fits the dead-letter topic: a dead letter that does not
 * fit would be refused by the broker and block its source partition.
 * @throws SchemaError `SCHEMA_OPTIONS_INVALID` if `maxBytes` is below {@link MIN_DEAD_LETTER_BYTES}.
 */
export function toDeadLetterRecord(letter: DeadLetter, options: DeadLetterRecordOptions = {}): DeadLetterRecord {
  const { maxBytes } = options;
  if (maxBytes !== undefined && !(Number.isSafeInteger(maxBytes) && maxBytes >= MIN_DEAD_LETTER_BYTES)) {
    throw new SchemaError('SCHEMA_OPTIONS_INVALID', `maxBytes must be an integer of at least ${MIN_DEAD_LETTER_BYTES}, got ${maxBytes}`);
  }
  const { message } = letter;
  const contract = dlqHeaders(letter);
  const record = { key: message.key, value: message.value, headers: { ...message.headers, ...contract } };
  if (maxBytes === undefined || deadLetterRecordBytes(record) <= maxBytes) {
    return record;
  }
  return fit(record, contract, maxBytes);
}
