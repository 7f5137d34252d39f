import type { DeadLetterReason } from './message-decoder.js';
import type { IngestMessage } from './ingest-message.js';

/** Headers added to a dead-lettered message (the original headers are kept beside them). */
export const DEAD_LETTER_HEADERS = {
  reason: 'dlq-reason',
  field: 'dlq-field',
  detail: 'dlq-detail',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  failedAt: 'dlq-failed-at',
} as const;

/** Details longer than this are cut: a header is for triage, the payload is kept whole. */
const MAX_DETAIL_CHARS = 512;

/** A message that failed decoding, with why and where. */
export interface DeadLetter {
  readonly message: IngestMessage;
  readonly reason: DeadLetterReason;
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

/** Where dead letters go (the app sends them to the dead-letter topic). Resolve once durable. */
export interface DeadLetterSink {
  send(records: readonly DeadLetterRecord[]): Promise<void>;
}

/** The dead-letter topic message of `letter`. */
export function toDeadLetterRecord(letter: DeadLetter): DeadLetterRecord {
  const { message } = letter;
  return {
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      [DEAD_LETTER_HEADERS.reason]: letter.reason,
      [DEAD_LETTER_HEADERS.field]: letter.field,
      [DEAD_LETTER_HEADERS.detail]: letter.detail.slice(0, MAX_DETAIL_CHARS),
      [DEAD_LETTER_HEADERS.sourceTopic]: message.topic,
      [DEAD_LETTER_HEADERS.sourcePartition]: String(message.partition),
      [DEAD_LETTER_HEADERS.sourceOffset]: message.offset.toString(),
      [DEAD_LETTER_HEADERS.failedAt]: new Date(letter.failedAtMs).toISOString(),
    },
  };
}
