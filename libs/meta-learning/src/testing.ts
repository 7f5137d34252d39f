// Second entry point, `@metarec/meta-learning/testing`: fixtures for tests and benchmarks, never for production code.
export type { SyntheticLabels, SyntheticLayoutOptions, SyntheticTaskOptions } from './testing/synthetic-tasks.js';
export { createSyntheticTasks, syntheticLayout } from './testing/synthetic-tasks.js';
export type { SuiteBackend } from './testing/suite-backend.js';
export { selectSuiteBackend, suiteBackendName, TEST_BACKEND_ENV } from './testing/suite-backend.js';
