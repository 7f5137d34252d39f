export type { SchemaRoundTripOptions, SchemaRoundTripStage, SchemaRoundTripSummary, RejectionCount, StreamingFactory } from './run-schema-round-trip.js';
export { RUN_ID_HEADER, runSchemaRoundTrip } from './run-schema-round-trip.js';
export { formatSchemaRoundTripSummary } from './format-schema-round-trip-summary.js';
