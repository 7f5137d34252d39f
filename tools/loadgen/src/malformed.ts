import { SCHEMA_VERSION_HEADER } from '@metarec/feature-store';
import type { Interaction } from '@metarec/schemas';

/** The ways loadgen breaks an event, each caught by ingest with a distinct dead-letter reason. */
export const MALFORMED_KINDS = ['bad-json', 'wrong-type', 'missing-field', 'out-of-range', 'unknown-version', 'invalid-utf8'] as const;

/** One of {@link MALFORMED_KINDS}. */
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

/** The dead-letter reason ingest gives each kind. */
export const EXPECTED_REASON: Readonly<Record<MalformedKind, string>> = {
  'bad-json': 'FS_INVALID_JSON',
  'wrong-type': 'SCHEMA_FIELD_TYPE',
  'missing-field': 'SCHEMA_FIELD_MISSING',
  'out-of-range': 'SCHEMA_FIELD_RANGE',
  'unknown-version': 'FS_SCHEMA_VERSION_UNKNOWN',
  'invalid-utf8': 'FS_INVALID_UTF8',
};

/** A Kafka payload and headers. */
export interface EventPayload {
  readonly value: string | Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

const V1 = { [SCHEMA_VERSION_HEADER]: '1' } as const;

/** The valid payload of an event. */
export function validPayload(event: Interaction): EventPayload {
  return { value: JSON.stringify(event), headers: V1 };
}

/** `event` broken in the way `kind` says (everything else left valid). */
export function malformedPayload(kind: MalformedKind, event: Interaction): EventPayload {
  switch (kind) {
    case 'bad-json':
      return { value: JSON.stringify(event).slice(0, -1), headers: V1 };
    case 'wrong-type':
      return { value: JSON.stringify({ ...event, timestamp_ms: String(event.timestamp_ms) }), headers: V1 };
    case 'missing-field': {
      const { item_id: _item, ...rest } = event;
      return { value: JSON.stringify(rest), headers: V1 };
    }
    case 'out-of-range':
      return { value: JSON.stringify({ ...event, event_type: 'rating', value: 11 }), headers: V1 };
    case 'unknown-version':
      return { value: JSON.stringify(event), headers: { [SCHEMA_VERSION_HEADER]: '99' } };
    case 'invalid-utf8':
      return { value: Buffer.concat([Buffer.from('{"user_id":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]), headers: V1 };
  }
}
