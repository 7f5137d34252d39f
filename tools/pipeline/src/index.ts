export type { SchemaRoundTripOptions, SchemaRoundTripStage, SchemaRoundTripSummary, RejectionCount, StreamingFactory } from './run-schema-round-trip.js';
export { runSchemaRoundTrip } from './run-schema-round-trip.js';
export type { DecodedEvent } from './event-codec.js';
export { decodeInteraction, encodeInteraction, HEADER_FINGERPRINT, HEADER_RUN_ID, HEADER_SCHEMA } from './event-codec.js';
export type { MalformedEvent } from './malformed-events.js';
export { malformedEvents } from './malformed-events.js';
export { formatSchemaRoundTripSummary } from './format-schema-round-trip-summary.js';
