// Second entry point, `@metarec/meta-learning/testing`: fixtures for tests and benchmarks, never for production code.
export type { SyntheticLabels, SyntheticLayoutOptions, SyntheticTaskOptions } from './testing/synthetic-tasks.js';
export { createSyntheticTasks, syntheticLayout } from './testing/synthetic-tasks.js';
export { selectSuiteBackend } from './testing/suite-backend.js';
export { probeTensorflowBackend } from './testing/tensorflow-backend-gate.js';
export { tinyListHead } from './testing/tiny-list-head.js';
