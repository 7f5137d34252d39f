import { InteractionSchema, type Interaction } from '../records/interaction.js';
import type { WireRejectReason } from '../wire/decode-record.js';
import { SCHEMA_FINGERPRINT_HEADER, SCHEMA_VERSION_HEADER, wireHeaders } from '../wire/wire-headers.js';

/**
 * The ways the corpus breaks an interaction message, each the classic producer bug it names;
 * every one is rejected by `decodeRecord` with its own reason and field.
 */
export const MALFORMED_EVENT_NAMES = [
  'empty-payload',
  'not-json',
  'not-an-object',
  'invalid-utf8',
  'missing-version-header',
  'unknown-version',
  'fingerprint-mismatch',
  'missing-field',
  'wrong-type',
  'rating-out-of-range',
  'timestamp-in-seconds',
  'unknown-event-type',
  'unknown-field',
  'key-mismatch',
  'duplicate-key',
] as const;

/** One of {@link MALFORMED_EVENT_NAMES}. */
export type MalformedEventName = (typeof MALFORMED_EVENT_NAMES)[number];

/** A broken message as a producer would send it (structurally an `OutgoingMessage` of `@metarec/streaming`). */
export interface MalformedMessage {
  readonly key: string;
  readonly value: string | Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

/** A deliberately broken interaction message and how a consumer must reject it. */
export interface MalformedEvent {
  /** Which case; `oversized` is {@link oversizedInteraction}'s. */
  readonly name: MalformedEventName | 'oversized';
  /** What is wrong, for summaries and test names. */
  readonly label: string;
  readonly message: MalformedMessage;
  /** The rejection reason (`dlq-reason`). */
  readonly reason: WireRejectReason;
  /** The field the rejection names (`dlq-field`): a field path, `header:<name>`, or `''` for the payload. */
  readonly field: string;
}

type Case = Omit<MalformedEvent, 'name' | 'message'> & { readonly value: string | Buffer | null; readonly headers?: Readonly<Record<string, string>>; readonly key?: string };

const VERSION_FIELD = `header:${SCHEMA_VERSION_HEADER}`;

function caseOf(name: MalformedEventName, event: Interaction): Case {
  const json = (value: unknown): string => JSON.stringify(value);
  switch (name) {
    case 'empty-payload':
      return { label: 'no payload', reason: 'FS_MESSAGE_EMPTY', field: '', value: null };
    case 'not-json':
      return { label: 'truncated JSON', reason: 'FS_INVALID_JSON', field: '', value: json(event).slice(0, -1) };
    case 'not-an-object':
      return { label: 'a JSON array', reason: 'SCHEMA_RECORD_TYPE', field: '', value: json([event]) };
    case 'invalid-utf8':
      return { label: 'bytes that are not UTF-8', reason: 'FS_INVALID_UTF8', field: '', value: Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]) };
    case 'missing-version-header':
      return { label: 'no schema-version header', reason: 'FS_SCHEMA_VERSION_UNKNOWN', field: VERSION_FIELD, value: json(event), headers: {} };
    case 'unknown-version':
      return { label: 'schema version 99', reason: 'FS_SCHEMA_VERSION_UNKNOWN', field: VERSION_FIELD, value: json(event), headers: { [SCHEMA_VERSION_HEADER]: '99' } };
    case 'fingerprint-mismatch': {
      const headers = { ...wireHeaders(InteractionSchema), [SCHEMA_FINGERPRINT_HEADER]: `sha256:${'0'.repeat(64)}` };
      return { label: 'same version, other fingerprint', reason: 'SCHEMA_FINGERPRINT_MISMATCH', field: `header:${SCHEMA_FINGERPRINT_HEADER}`, value: json(event), headers };
    }
    case 'missing-field': {
      const { item_id: _itemId, ...withoutItem } = event;
      return { label: 'item_id missing', reason: 'SCHEMA_FIELD_MISSING', field: 'item_id', value: json(withoutItem) };
    }
    case 'wrong-type':
      return { label: 'value as a string', reason: 'SCHEMA_FIELD_TYPE', field: 'value', value: json({ ...event, value: '4' }) };
    case 'rating-out-of-range':
      return { label: 'rating of 7 stars', reason: 'SCHEMA_FIELD_RANGE', field: 'value', value: json({ ...event, event_type: 'rating', value: 7 }) };
    case 'timestamp-in-seconds':
      // The ms/s unit bug: a seconds timestamp read as ms lands in January 1970.
      return { label: 'timestamp in seconds', reason: 'SCHEMA_FIELD_RANGE', field: 'timestamp_ms', value: json({ ...event, timestamp_ms: Math.floor(event.timestamp_ms / 1000) }) };
    case 'unknown-event-type':
      return { label: "event_type 'like'", reason: 'SCHEMA_FIELD_RANGE', field: 'event_type', value: json({ ...event, event_type: 'like' }) };
    case 'unknown-field':
      return { label: "typo 'sessionId'", reason: 'SCHEMA_UNKNOWN_FIELD', field: 'sessionId', value: json({ ...event, sessionId: 's-1' }) };
    case 'key-mismatch':
      // Keyed by another user: the event lands in that user's partition, out of order with its own.
      return { label: "keyed by another user", reason: 'SCHEMA_KEY_MISMATCH', field: 'user_id', value: json(event), key: `${event.user_id}-other` };
    case 'duplicate-key':
      // JSON.parse keeps the last user_id, a first-key-wins reader the first: two users in one payload.
      return { label: 'user_id given twice', reason: 'SCHEMA_DUPLICATE_KEY', field: 'user_id', value: `{"user_id":"${event.user_id}-other",${json(event).slice(1)}` };
  }
}

/**
 * `event` (a valid interaction) broken the way `name` says, everything else left valid, keyed
 * by its user (unless the key is what is broken) and carrying the contract headers unless the header is what is broken.
 */
export function malformedInteraction(name: MalformedEventName, event: Interaction): MalformedEvent {
  const { value, headers, key, ...expected } = caseOf(name, event);
  return { name, ...expected, message: { key: key ?? event.user_id, value, headers: headers ?? wireHeaders(InteractionSchema) } };
}

/** The whole corpus: every {@link MALFORMED_EVENT_NAMES} entry built from `event`, in that order. */
export function malformedInteractions(event: Interaction): MalformedEvent[] {
  return MALFORMED_EVENT_NAMES.map((name) => malformedInteraction(name, event));
}

/**
 * A payload of `bytes` spaces with valid headers: rejected `FS_MESSAGE_TOO_LARGE` when `bytes`
 * exceeds the consumer's limit. Kept out of {@link malformedInteractions} because a topic on
 * the broker's default `max.message.bytes` refuses it before any consumer sees it.
 */
export function oversizedInteraction(event: Interaction, bytes: number): MalformedEvent {
  return {
    name: 'oversized',
    label: `a ${bytes}-byte payload`,
    reason: 'FS_MESSAGE_TOO_LARGE',
    field: '',
    message: { key: event.user_id, value: Buffer.alloc(bytes, 0x20), headers: wireHeaders(InteractionSchema) },
  };
}
