import type { RecordOfFields, FieldMap } from '../definition/field.js';
import type { RecordSchema } from '../definition/record-schema.js';
import type { FieldIssueCode } from '../errors/schema-validation-error.js';
import { validateRecord } from '../validation/validate-record.js';
import { WIRE_KEY_FIELDS } from './encode-record.js';
import { findDuplicateKey } from './find-duplicate-key.js';
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
  /** The Kafka key is not the record's {@link WIRE_KEY_FIELDS} value (per-key ordering would break). */
  | 'SCHEMA_KEY_MISMATCH'
  /** A JSON object of the payload has a key twice (readers disagree on which one counts). */
  | 'SCHEMA_DUPLICATE_KEY'
  | FieldIssueCode;

/** What the decoder reads of a consumed message; a `ConsumedMessage` of `@metarec/streaming` fits. */
export interface WireInput {
  /** The Kafka key, UTF-8 decoded; must equal the record's {@link WIRE_KEY_FIELDS} value. */
  readonly key: string | null;
  readonly value: Uint8Array | null;
  /** Header values decoded as UTF-8. */
  readonly headers: Readonly<Record<string, string>>;
}

/** The outcome of decoding one message; never an exception. */
export type WireDecodeResult<T> =
  | {
      readonly ok: true;
      readonly record: T;
      /**
       * The canonical JSON of `record` (schema field order, no whitespace): what a store keeps,
       * never the received text, so every reader of the stored form sees the same record.
       */
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

/** The key check: the Kafka key must be the record's key field, when the schema has one. */
function checkKey(schema: RecordSchema, key: string | null, record: Readonly<Record<string, unknown>>): Rejection | undefined {
  const field = WIRE_KEY_FIELDS[schema.name];
  if (field === undefined || record[field] === key) {
    return undefined;
  }
  const got = key === null ? 'no key' : `key "${key.slice(0, 80)}"`;
  return reject('SCHEMA_KEY_MISMATCH', field, `message has ${got}, the record's ${field} is "${String(record[field]).slice(0, 80)}"`);
}

/**
 * Checks one consumed message against `schema`, in this order: payload present, size, schema
 * headers, UTF-8, JSON, no duplicate keys, every field (unknown fields rejected), then the Kafka
 * key against the record's key field. Never throws on bad data: a rejection names its
 * {@link WireRejectReason} and the field, for the dead-letter record.
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
  const duplicate = findDuplicateKey(text);
  if (duplicate !== undefined) {
    return reject('SCHEMA_DUPLICATE_KEY', duplicate, `key "${duplicate.slice(0, 80)}" appears twice in one object`);
  }
  const result = validateRecord(schema, parsed, { nowMs: options.nowMs });
  if (!result.ok) {
    return reject(result.error.code, result.error.field, result.error.message);
  }
  const keyRejection = checkKey(schema, message.key, result.record as Readonly<Record<string, unknown>>);
  if (keyRejection !== undefined) {
    return keyRejection;
  }
  return { ok: true, record: result.record, json: JSON.stringify(result.record) };
}
