import type { RecordSchema } from '../definition/record-schema.js';

/**
 * Header carrying the schema version a producer wrote the JSON payload with (e.g. `1`).
 * Required: a consumer dead-letters a message without it (`FS_SCHEMA_VERSION_UNKNOWN`).
 */
export const SCHEMA_VERSION_HEADER = 'metarec-schema-version';

/**
 * Header carrying the producer's schema fingerprint (`sha256:<hex>`, as in Arrow file metadata).
 * Optional on read, so messages of producers that predate it still decode; when present it must
 * equal the consumer's, which catches a field change shipped without a version bump.
 */
export const SCHEMA_FINGERPRINT_HEADER = 'metarec-schema-fingerprint';

/** The headers every producer writes for a payload of one schema. */
export type WireHeaders = Readonly<Record<string, string>>;

const headersBySchema = new WeakMap<RecordSchema, WireHeaders>();

/**
 * The contract headers of `schema`: version and fingerprint. One frozen object per schema, so a
 * producer sending thousands of messages a second shares it instead of building one per message.
 */
export function wireHeaders(schema: RecordSchema): WireHeaders {
  let headers = headersBySchema.get(schema);
  if (headers === undefined) {
    headers = Object.freeze({ [SCHEMA_VERSION_HEADER]: String(schema.version), [SCHEMA_FINGERPRINT_HEADER]: schema.fingerprint });
    headersBySchema.set(schema, headers);
  }
  return headers;
}
