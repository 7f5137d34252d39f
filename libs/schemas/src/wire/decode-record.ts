import type { RecordOfFields, FieldMap } from '../definition/field.js';
import type { RecordSchema } from '../definition/record-schema.js';
import type { FieldIssueCode } from '../errors/schema-validation-error.js';
import { validateRecord } from '../validation/validate-record.js';
import { SCHEMA_FINGERPRINT_HEADER, SCHEMA_VERSION_HEADER } from './wire-headers.js';

/**
 * Why a message was rejected: a wire-level code or one of the record validator's field codes
 * (`SCHEMA_FIELD_TYPE`, `SCHEMA_FIELD_RANGE`, ...). These strings travel as the `dlq-reason`
 * header and label ingest's dead-letter metric, so they are never reworded; the `FS_` ones keep
 * the prefix they were first written with, when ingest (feature-store) owned this decoder.
 */
export type WireRejectReason =
  | 'FS_MESSAGE_TOO_LARGE'
  | 'FS_MESSAGE_EMPTY'
  | 'FS_INVALID_UTF8'
  | 'FS_INVALID_JSON'
  | 'FS_SCHEMA_VERSION_UNKNOWN'
  | 'SCHEMA_FINGERPRINT_MISMATCH'
  | FieldIssueCode;

/** What the decoder reads of a consumed message; a `ConsumedMessage` of `@metarec/streaming` fits. */
export interface WireInput {
  readonly value: Uint8Array | null;
  /** Header values decoded as UTF-8. */
  readonly headers: Readonly<Record<string, string>>;
}

/** The outcome of decoding one message; never an exception. */
export type WireDecodeResult<T> =
  | {
      readonly ok: true;
      readonly record: T;
      /** The payload text `record` was parsed from (UTF-8 decoded, BOM dropped). */
      readonly json: string;
    }
  | {
      readonly ok: false;
      readonly reason: WireRejectReason;
      /** Offending field path, `header:<name>` for a header, `''` for the payload as a whole. */
      readonly field: string;
      readonly detail: string;
    };

/**
 * Kafka's default `max.message.bytes` (1 MiB plus record overhead): larger payloads cannot have
 * come through a default topic, so they are rejected before any parsing.
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_576;

/** Options of {@link decodeRecord}. */
export interface WireDecodeOptions {
  /** Larger payloads are rejected before parsing, bytes. @defaultValue {@link DEFAULT_MAX_MESSAGE_BYTES} */
  readonly maxMessageBytes?: number;
  /** Clock for the timestamp bounds of validation, epoch ms. @defaultValue `Date.now()` at the call */
  readonly nowMs?: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

type Rejection = Extract<WireDecodeResult<never>, { ok: false }>;

function reject(reason: WireRejectReason, field: string, detail: string): Rejection {
  return { ok: false, reason, field, detail };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The header check: version required and equal, fingerprint equal when present. */
function checkHeaders(schema: RecordSchema, headers: Readonly<Record<string, string>>): Rejection | undefined {
  const version = headers[SCHEMA_VERSION_HEADER];
  if (version !== String(schema.version)) {
    const got = version === undefined ? 'no header' : `"${version.slice(0, 32)}"`;
    return reject('FS_SCHEMA_VERSION_UNKNOWN', `header:${SCHEMA_VERSION_HEADER}`, `expected ${schema.name} v${schema.version}, got ${got}`);
  }
  const fingerprint = headers[SCHEMA_FINGERPRINT_HEADER];
  if (fingerprint !== undefined && fingerprint !== schema.fingerprint) {
    const detail = `${schema.name} v${schema.version} is ${schema.fingerprint}, got "${fingerprint.slice(0, 80)}" (a field change without a version bump?)`;
    return reject('SCHEMA_FINGERPRINT_MISMATCH', `header:${SCHEMA_FINGERPRINT_HEADER}`, detail);
  }
  return undefined;
}

/**
 * Checks one consumed message against `schema`, in this order: payload present, size, schema
 * headers, UTF-8, JSON, then every field (unknown fields rejected). Never throws on bad data:
 * a rejection names its {@link WireRejectReason} and the field, for the dead-letter record.
 */
export function decodeRecord<F extends FieldMap>(schema: RecordSchema<F>, message: WireInput, options: WireDecodeOptions = {}): WireDecodeResult<RecordOfFields<F>> {
  const value = message.value;
  if (value === null || value.byteLength === 0) {
    return reject('FS_MESSAGE_EMPTY', '', 'message has no payload');
  }
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  if (value.byteLength > maxMessageBytes) {
    return reject('FS_MESSAGE_TOO_LARGE', '', `payload is ${value.byteLength} bytes, limit ${maxMessageBytes}`);
  }
  const headerRejection = checkHeaders(schema, message.headers);
  if (headerRejection !== undefined) {
    return headerRejection;
  }
  let text: string;
  try {
    text = utf8.decode(value);
  } catch (error) {
    return reject('FS_INVALID_UTF8', '', `payload is not UTF-8: ${messageOf(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return reject('FS_INVALID_JSON', '', messageOf(error));
  }
  const result = validateRecord(schema, parsed, { nowMs: options.nowMs });
  if (!result.ok) {
    return reject(result.error.code, result.error.field, result.error.message);
  }
  return { ok: true, record: result.record, json: text };
}
