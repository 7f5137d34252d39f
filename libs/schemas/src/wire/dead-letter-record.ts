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
} as const;

/** Details longer than this are cut: a header is for triage, the payload is kept whole. */
const MAX_DETAIL_CHARS = 512;

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

/** The dead-letter topic message of `letter` (detail cut to 512 characters, time as ISO-8601). */
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
