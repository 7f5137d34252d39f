import { validateRecord, type FieldIssueCode } from '@metarec/schemas';

import { recordKindSpec, type RecordKind, type StoreRecord } from '../offline/record-kinds.js';
import type { IngestMessage } from './ingest-message.js';

/** Header carrying the schema version a producer wrote the JSON payload with (e.g. `1`). */
export const SCHEMA_VERSION_HEADER = 'metarec-schema-version';

/**
 * Why a message was dead-lettered: one of the decoder's own codes or the schemas lib's field
 * codes (`SCHEMA_FIELD_TYPE`, `SCHEMA_FIELD_RANGE`, ...).
 */
export type DeadLetterReason =
  | 'FS_MESSAGE_TOO_LARGE'
  | 'FS_MESSAGE_EMPTY'
  | 'FS_INVALID_UTF8'
  | 'FS_INVALID_JSON'
  | 'FS_SCHEMA_VERSION_UNKNOWN'
  | FieldIssueCode;

/** The outcome of decoding one message. */
export type DecodeResult =
  | {
      readonly ok: true;
      readonly record: StoreRecord;
      /** The payload text `record` was parsed from (UTF-8 decoded, BOM dropped). */
      readonly json: string;
    }
  | { readonly ok: false; readonly reason: DeadLetterReason; readonly field: string; readonly detail: string };

/** Options of {@link decodeMessage}. */
export interface DecodeOptions {
  /** Larger payloads are rejected before parsing. */
  readonly maxMessageBytes: number;
  /** Clock for the timestamp bounds of validation, epoch ms. */
  readonly nowMs: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function fail(reason: DeadLetterReason, field: string, detail: string): DecodeResult {
  return { ok: false, reason, field, detail };
}

/**
 * Checks one message against the schema of `kind`: size, schema-version header, UTF-8, JSON,
 * then every field. Never throws on bad data: the failure names the reason and the field.
 */
export function decodeMessage(message: IngestMessage, kind: RecordKind, options: DecodeOptions): DecodeResult {
  const { schema } = recordKindSpec(kind);
  const value = message.value;
  if (value === null || value.byteLength === 0) {
    return fail('FS_MESSAGE_EMPTY', '', 'message has no payload');
  }
  if (value.byteLength > options.maxMessageBytes) {
    return fail('FS_MESSAGE_TOO_LARGE', '', `payload is ${value.byteLength} bytes, limit ${options.maxMessageBytes}`);
  }
  const version = message.headers[SCHEMA_VERSION_HEADER];
  if (version !== String(schema.version)) {
    const got = version === undefined ? 'no header' : `"${version.slice(0, 32)}"`;
    return fail('FS_SCHEMA_VERSION_UNKNOWN', `header:${SCHEMA_VERSION_HEADER}`, `expected ${schema.name} v${schema.version}, got ${got}`);
  }
  let text: string;
  try {
    text = utf8.decode(value);
  } catch (error) {
    return fail('FS_INVALID_UTF8', '', `payload is not UTF-8: ${error instanceof Error ? error.message : String(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail('FS_INVALID_JSON', '', error instanceof Error ? error.message : String(error));
  }
  const result = validateRecord(schema, parsed, { nowMs: options.nowMs });
  if (!result.ok) {
    return fail(result.error.code, result.error.field, result.error.message);
  }
  return { ok: true, record: result.record as unknown as StoreRecord, json: text };
}
