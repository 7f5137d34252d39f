// Second entry point, `@metarec/serving/testing`: a synthetic world, model/bundle writers and an in-memory feature reader.
export type { TestWorld } from './testing/test-world.js';
export { buildTestWorld, testListHead, writeBundleManifest, writeTestModelDir } from './testing/test-world.js';
export type { InMemoryFeatureReaderOptions } from './testing/in-memory-feature-reader.js';
export { InMemoryFeatureReader } from './testing/in-memory-feature-reader.js';
export type { TestServing, TestServingOptions } from './testing/test-serving.js';
export { buildTestServing, TEST_FEEDBACK_AUTHORIZATION, TEST_FEEDBACK_SIGNING_KEY, TEST_FEEDBACK_TOKEN } from './testing/test-serving.js';
