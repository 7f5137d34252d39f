import type { RecordInput, RecordSchema } from '../definition/record-schema.js';
import { SchemaError } from '../errors/schema-error.js';
import { wireHeaders, type WireHeaders } from './wire-headers.js';

/**
 * The field each schema's messages are keyed by. Kafka orders messages per partition and picks
 * the partition from the key, so one user's events (and one profile's updates) stay in order;
 * building a user's task needs their events in order.
 */
export const WIRE_KEY_FIELDS: Readonly<Record<string, string>> = {
  interaction: 'user_id',
  user_profile: 'user_id',
  item_profile: 'item_id',
};

/** One message as every producer sends it; structurally an `OutgoingMessage` of `@metarec/streaming`. */
export interface WireRecord {
  /** The record's {@link WIRE_KEY_FIELDS} value. */
  readonly key: string;
  /** The record as JSON (UTF-8 on the wire). */
  readonly value: string;
  /** Schema version and fingerprint ({@link wireHeaders}), plus any the caller added. */
  readonly headers: WireHeaders;
  /** Kafka record timestamp, epoch ms; absent lets the producer stamp the send time. */
  readonly timestampMs?: number;
}

/** Options of {@link encodeRecord}. */
export interface EncodeRecordOptions {
  /** Kafka record timestamp, epoch ms (e.g. the event time). @defaultValue the send time */
  readonly timestampMs?: number;
  /** Headers of the caller's own beside the contract's (e.g. a run id); the contract's win a clash. @defaultValue none */
  readonly headers?: WireHeaders;
}

/** The key of a record of `schema`: the value of its {@link WIRE_KEY_FIELDS} entry. */
export function wireKeyOf(schema: RecordSchema, record: Readonly<Record<string, unknown>>): string {
  const field = WIRE_KEY_FIELDS[schema.name];
  if (field === undefined) {
    throw new SchemaError('SCHEMA_OPTIONS_INVALID', `schema ${schema.name} has no wire key field (see WIRE_KEY_FIELDS)`);
  }
  const key = record[field];
  if (typeof key !== 'string') {
    throw new SchemaError('SCHEMA_OPTIONS_INVALID', `${schema.name}.${field} is the message key and must be a string, got ${typeof key}`);
  }
  return key;
}

/**
 * A record of `schema` as a Kafka message: keyed by {@link wireKeyOf}, JSON payload, the
 * schema-version and fingerprint headers. Does not validate: producers validate at their own
 * edge (serving's feedback route) or generate valid records (loadgen, the pipeline).
 * @throws SchemaError `SCHEMA_OPTIONS_INVALID` if the schema has no key field or the key is not a string.
 */
export function encodeRecord<S extends RecordSchema>(schema: S, record: RecordInput<S>, options: EncodeRecordOptions = {}): WireRecord {
  const fields = record as Readonly<Record<string, unknown>>;
  const contract = wireHeaders(schema);
  const headers = options.headers === undefined ? contract : { ...options.headers, ...contract };
  const message = { key: wireKeyOf(schema, fields), value: JSON.stringify(record), headers };
  return options.timestampMs === undefined ? message : { ...message, timestampMs: options.timestampMs };
}
