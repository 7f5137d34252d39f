import type { ConsumedMessage, OutgoingMessage } from '@metarec/streaming';
import { InteractionSchema, validateInteraction, type Interaction, type ValidationOptions } from '@metarec/schemas';

/** Headers every interaction event carries, so a consumer can route by schema before parsing. */
export const HEADER_SCHEMA = 'metarec-schema';
export const HEADER_FINGERPRINT = 'metarec-schema-fingerprint';
export const HEADER_RUN_ID = 'metarec-run-id';

/** An interaction (or raw bytes standing in for one) as a Kafka message keyed by user. */
export function encodeInteraction(payload: Interaction | string, key: string, runId: string): OutgoingMessage {
  return {
    // Keyed by user: one user's events stay ordered on one partition (task building needs it).
    key,
    value: typeof payload === 'string' ? payload : JSON.stringify(payload),
    headers: {
      [HEADER_SCHEMA]: `${InteractionSchema.name}/v${InteractionSchema.version}`,
      [HEADER_FINGERPRINT]: InteractionSchema.fingerprint,
      [HEADER_RUN_ID]: runId,
    },
  };
}

/** The outcome of decoding one consumed message. */
export type DecodedEvent =
  | { readonly ok: true; readonly record: Interaction }
  | { readonly ok: false; readonly code: string; readonly field: string; readonly reason: string };

/** Parses and validates a consumed message against the interaction schema; never throws. */
export function decodeInteraction(message: ConsumedMessage, options?: ValidationOptions): DecodedEvent {
  if (message.value === null) {
    return { ok: false, code: 'PAYLOAD_EMPTY', field: 'payload', reason: 'message has no value' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    return { ok: false, code: 'PAYLOAD_NOT_JSON', field: 'payload', reason: (error as Error).message };
  }
  const result = validateInteraction(parsed, options);
  if (result.ok) {
    return { ok: true, record: result.record };
  }
  return { ok: false, code: result.error.code, field: result.error.field, reason: result.error.issues[0]?.reason ?? result.error.message };
}
