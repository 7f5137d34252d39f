export type { PipelineOptions, PipelineStage, PipelineSummary, RejectionCount, StreamingFactory } from './run-pipeline.js';
export { RUN_ID_HEADER, runPipeline } from './run-pipeline.js';
export { formatSummary } from './format-summary.js';
