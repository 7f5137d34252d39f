export type { PipelineOptions, PipelineStage, PipelineSummary, RejectionCount, StreamingFactory } from './run-pipeline.js';
export { runPipeline } from './run-pipeline.js';
export type { DecodedEvent } from './event-codec.js';
export { decodeInteraction, encodeInteraction, HEADER_FINGERPRINT, HEADER_RUN_ID, HEADER_SCHEMA } from './event-codec.js';
export type { MalformedEvent } from './malformed-events.js';
export { malformedEvents } from './malformed-events.js';
export { formatSummary } from './format-summary.js';
